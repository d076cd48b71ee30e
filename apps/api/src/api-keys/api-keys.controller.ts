import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeysService, Caller, Principal, RequireRole, Role, ROLES, StoredApiKey } from '@tocsin/auth';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Length } from 'class-validator';
import { page } from '../http/cursor';
import { PageQuery } from '../http/shared.dto';

class CreateApiKeyDto {
  @ApiProperty({ example: 'KNB duty desk' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
}

class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ example: 'tk_AbC12x', description: 'The first characters of the key, to tell keys apart.' })
  keyPrefix!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) revokedAt!: string | null;
}

class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown once: only its hash is kept.' }) key!: string;
}

class CallerDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
}

class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

const render = (key: StoredApiKey): ApiKeyDto => ({
  id: key.id,
  name: key.name,
  role: key.role,
  keyPrefix: key.keyPrefix,
  createdAt: key.createdAt.toISOString(),
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

@ApiTags('api-keys')
@ApiBearerAuth()
@RequireRole('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@Body() body: CreateApiKeyDto, @Caller() caller: Principal): Promise<CreatedApiKeyDto> {
    const created = await this.apiKeys.create(body.name, body.role, caller);
    return { ...render(created), key: created.key };
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyListDto, description: 'Newest first, revoked ones included.' })
  async list(@Query() query: PageQuery): Promise<ApiKeyListDto> {
    return page(query, (window) => this.apiKeys.list(window), render);
  }

  @Get('me')
  @RequireRole(...ROLES)
  @ApiOkResponse({ type: CallerDto, description: 'The key of this request: any role may ask.' })
  me(@Caller() caller: Principal): CallerDto {
    return { id: caller.keyId, name: caller.name, role: caller.role };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key stops working at once.' })
  async revoke(@Param('id') id: string): Promise<void> {
    await this.apiKeys.revoke(id);
  }
}

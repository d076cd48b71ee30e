import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiKeysService, Caller, Principal, RequireRole, ROLES } from '@tocsin/auth';
import { page } from '../http/cursor';
import { PageQuery } from '../http/shared.dto';
import { ApiKeyListDto, CallerDto, CreateApiKeyDto, CreatedApiKeyDto, renderApiKey } from './api-key.dto';

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
    return { ...renderApiKey(created), key: created.key };
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyListDto, description: 'Newest first, revoked ones included.' })
  async list(@Query() query: PageQuery): Promise<ApiKeyListDto> {
    return page(query, (window) => this.apiKeys.list(window), renderApiKey);
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
  async revoke(@Param('id') id: string, @Caller() caller: Principal): Promise<void> {
    await this.apiKeys.revoke(id, caller);
  }
}

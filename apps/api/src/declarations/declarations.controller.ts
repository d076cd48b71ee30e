import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { DeclarationsService } from '@tocsin/declarations';
import { decodeCreatedCursor, page } from '../http/cursor';
import { toInstant } from '../http/shared.dto';
import {
  CancelDeclarationDto,
  DeclarationDto,
  DeclarationListDto,
  DeclarationQueryDto,
  PublishDeclarationDto,
  renderDeclaration,
} from './declaration.dto';

const actorOf = (caller: Principal) => ({ id: caller.keyId, name: caller.name });

@ApiTags('declarations')
@Controller('v1/declarations')
export class DeclarationsController {
  constructor(private readonly declarations: DeclarationsService) {}

  @Post()
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({ type: DeclarationDto, description: 'Published, scheduled, or recorded as history.' })
  async publish(@Body() body: PublishDeclarationDto, @Caller() caller: Principal): Promise<DeclarationDto> {
    const declaration = await this.declarations.publish(
      {
        ...body,
        effectiveAt: body.effectiveAt ? toInstant(body.effectiveAt) : null,
        expiresAt: body.expiresAt ? toInstant(body.expiresAt) : null,
      },
      actorOf(caller),
    );
    return renderDeclaration(declaration);
  }

  @Get()
  @ApiOkResponse({ type: DeclarationListDto, description: 'Newest first.' })
  async list(@Query() query: DeclarationQueryDto): Promise<DeclarationListDto> {
    const declarations = await this.declarations.list({
      area: query.area,
      status: query.status,
      scheme: query.scheme,
      before: decodeCreatedCursor(query.cursor),
      limit: query.limit + 1,
    });
    return page(declarations, query.limit, renderDeclaration, (d) => [d.createdAt.toISOString(), d.id]);
  }

  @Get(':id')
  @ApiOkResponse({ type: DeclarationDto })
  async one(@Param('id') id: string): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.get(id));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: DeclarationDto, description: 'Cancels a scheduled or active declaration.' })
  async cancel(
    @Param('id') id: string,
    @Body() body: CancelDeclarationDto,
    @Caller() caller: Principal,
  ): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.cancel(id, actorOf(caller), body.reason ?? null));
  }
}

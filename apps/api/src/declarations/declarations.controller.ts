import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { DeclarationsService, PublishRequest } from '@tocsin/declarations';
import { IngestService } from '@tocsin/ingest';
import { page } from '../http/cursor';
import { toInstant } from '../http/shared.dto';
import {
  CancelDeclarationDto,
  DeclarationDto,
  DeclarationPreviewDto,
  DeclarationListDto,
  DeclarationQueryDto,
  PublishDeclarationDto,
  RejectDeclarationDto,
  renderDeclaration,
  renderPreview,
} from './declaration.dto';

const actorOf = (caller: Principal) => ({ id: caller.keyId, name: caller.name, role: caller.role });
const requestOf = (body: PublishDeclarationDto): PublishRequest => ({
  ...body,
  effectiveAt: body.effectiveAt ? toInstant(body.effectiveAt) : null,
  expiresAt: body.expiresAt ? toInstant(body.expiresAt) : null,
});

@ApiTags('declarations')
@Controller('v1/declarations')
export class DeclarationsController {
  constructor(
    private readonly declarations: DeclarationsService,
    private readonly ingest: IngestService,
  ) {}

  @Post()
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({
    type: DeclarationDto,
    description:
      "Published, scheduled, or recorded as history; `pending_approval` (nothing announced) when its scheme's " +
      'approval covers its level, until another key approves it.',
  })
  @ApiForbiddenResponse({ description: '`urgent` from a key that is not an admin.' })
  async publish(@Body() body: PublishDeclarationDto, @Caller() caller: Principal): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.publish(requestOf(body), actorOf(caller)));
  }

  @Post('preview')
  @HttpCode(200)
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: DeclarationPreviewDto,
    description:
      'Publishes nothing: the level changes this body would announce and how many subscribers they would ' +
      'reach, counted with the fan-out’s own filter rule.',
  })
  async preview(@Body() body: PublishDeclarationDto): Promise<DeclarationPreviewDto> {
    const { changes, audience } = await this.declarations.preview(requestOf(body));
    return renderPreview(changes, audience);
  }

  @Get()
  @ApiOkResponse({ type: DeclarationListDto, description: 'Newest first.' })
  async list(@Query() query: DeclarationQueryDto): Promise<DeclarationListDto> {
    return page(
      query,
      (window) =>
        this.declarations.list({
          ...window,
          area: query.area,
          status: query.status,
          scheme: query.scheme,
          mode: query.mode,
          awaitingApproval: query.awaitingApproval,
        }),
      renderDeclaration,
    );
  }

  @Get(':id')
  @ApiOkResponse({ type: DeclarationDto })
  async one(@Param('id') id: string): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.get(id));
  }

  @Get(':id/origin.xml')
  @Header('content-type', 'application/cap+xml; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @ApiProduces('application/cap+xml')
  @ApiOkResponse({ description: 'The CAP document an imported declaration was made from, as received.' })
  async origin(@Param('id') id: string): Promise<string> {
    const document = await this.ingest.originDocument(await this.declarations.get(id));
    if (document === null)
      throw new NotFoundException(`Declaration "${id}" was not imported from a CAP document.`);
    return document;
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: DeclarationDto,
    description:
      'Cancels a scheduled, active or pending declaration (an admin’s cancel is carried out at once).',
  })
  @ApiAcceptedResponse({
    type: DeclarationDto,
    description:
      'A publisher cancelling a declaration that needed approval: the cancellation waits, in ' +
      '`cancelRequest`, until another publisher or admin key approves it (`POST …/approve`); nothing changes until then.',
  })
  async cancel(
    @Param('id') id: string,
    @Body() body: CancelDeclarationDto,
    @Caller() caller: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DeclarationDto> {
    const declaration = await this.declarations.cancel(id, actorOf(caller), body.reason ?? null);
    if (declaration.cancelledAt === null && declaration.cancelRequest) reply.status(202);
    return renderDeclaration(declaration);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: DeclarationDto,
    description:
      'Approves what awaits a second key: a `pending_approval` declaration becomes scheduled or active as its ' +
      'times say and is announced now (a start that passed while it waited becomes now); a pending ' +
      '`cancelRequest` is carried out.',
  })
  @ApiForbiddenResponse({ description: 'The key that asked (its publisher, or who asked to cancel it).' })
  @ApiConflictResponse({ description: 'Nothing of it awaits approval, or it expired while it waited.' })
  async approve(@Param('id') id: string, @Caller() caller: Principal): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.approve(id, actorOf(caller)));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequireRole('publisher', 'admin')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: DeclarationDto,
    description:
      'Rejects what awaits a second key: a `pending_approval` declaration becomes `rejected` and is never ' +
      'announced; a pending `cancelRequest` is dropped.',
  })
  @ApiForbiddenResponse({ description: 'The key that asked.' })
  @ApiConflictResponse({ description: 'Nothing of it awaits approval.' })
  async reject(
    @Param('id') id: string,
    @Body() body: RejectDeclarationDto,
    @Caller() caller: Principal,
  ): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.reject(id, actorOf(caller), body.reason));
  }
}

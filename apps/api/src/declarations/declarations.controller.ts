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
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
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
  renderDeclaration,
  renderPreview,
} from './declaration.dto';

const actorOf = (caller: Principal) => ({ id: caller.keyId, name: caller.name });
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
  @ApiCreatedResponse({ type: DeclarationDto, description: 'Published, scheduled, or recorded as history.' })
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
        this.declarations.list({ ...window, area: query.area, status: query.status, scheme: query.scheme }),
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
  @ApiOkResponse({ type: DeclarationDto, description: 'Cancels a scheduled or active declaration.' })
  async cancel(
    @Param('id') id: string,
    @Body() body: CancelDeclarationDto,
    @Caller() caller: Principal,
  ): Promise<DeclarationDto> {
    return renderDeclaration(await this.declarations.cancel(id, actorOf(caller), body.reason ?? null));
  }
}

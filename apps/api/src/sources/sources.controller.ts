import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { IngestService, SourcesService } from '@tocsin/ingest';
import { page } from '../http/cursor';
import { PageQuery } from '../http/shared.dto';
import {
  CreatedSourceDto,
  CreateSourceDto,
  ImportOutcomeDto,
  renderItem,
  renderSource,
  SourceDto,
  SourceItemListDto,
  SourceListDto,
  UpdateSourceDto,
} from './source.dto';

/** The push key from `Authorization: Bearer tpk_…` or `Tocsin-Push-Key: tpk_…`. */
function pushKeyOf(authorization: string | undefined, header: string | undefined): string | undefined {
  const bearer = authorization ? /^Bearer\s+(tpk_\S+)$/i.exec(authorization)?.[1] : undefined;
  return bearer ?? header?.trim() ?? undefined;
}

@ApiTags('sources')
@Controller('v1/sources')
export class SourcesController {
  constructor(
    private readonly sources: SourcesService,
    private readonly ingest: IngestService,
  ) {}

  @Post()
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiCreatedResponse({
    type: CreatedSourceDto,
    description: 'A cap-push source’s pushKey is shown this once.',
  })
  async create(@Body() body: CreateSourceDto, @Caller() caller: Principal): Promise<CreatedSourceDto> {
    const { source, pushKey } = await this.sources.create(body, caller);
    return { ...renderSource(source), ...(pushKey ? { pushKey } : {}) };
  }

  @Get()
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SourceListDto, description: 'Newest first.' })
  async list(@Query() query: PageQuery): Promise<SourceListDto> {
    return page(query, (window) => this.sources.list(window), renderSource);
  }

  @Get(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SourceDto, description: 'With its health: last fetch, status, error and counts.' })
  async one(@Param('id') id: string): Promise<SourceDto> {
    return renderSource(await this.sources.get(id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SourceDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateSourceDto,
    @Caller() caller: Principal,
  ): Promise<SourceDto> {
    return renderSource(await this.sources.update(id, body, caller));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Its polls stop; declarations it made stay.' })
  async remove(@Param('id') id: string, @Caller() caller: Principal): Promise<void> {
    await this.sources.delete(id, caller);
  }

  @Get(':id/items')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SourceItemListDto, description: 'Every document it brought, newest first.' })
  async items(@Param('id') id: string, @Query() query: PageQuery): Promise<SourceItemListDto> {
    return page(query, (window) => this.sources.items(id, window), renderItem);
  }

  @Post(':id/poll')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiAcceptedResponse({ description: 'A cap-feed source is polled now (unless a poll is under way).' })
  async pollNow(@Param('id') id: string): Promise<void> {
    await this.sources.pollNow(id);
  }

  @Post(':id/alerts')
  @HttpCode(202)
  @ApiConsumes('application/cap+xml')
  @ApiHeader({ name: 'Tocsin-Push-Key', required: false, description: 'Or Authorization: Bearer tpk_….' })
  @ApiAcceptedResponse({ type: ImportOutcomeDto })
  async push(
    @Param('id') id: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('tocsin-push-key') pushKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<ImportOutcomeDto> {
    const source = await this.sources.authenticatePush(id, pushKeyOf(authorization, pushKey));
    if (!Buffer.isBuffer(body) || !/^application\/(cap\+)?xml\b/i.test(contentType ?? '')) {
      throw new UnsupportedMediaTypeException('Push a CAP document as application/cap+xml.');
    }
    return this.ingest.push(source, body);
  }
}

import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { LevelsService } from '@tocsin/declarations';
import { CSV_MEDIA_TYPE, LEVELS_CSV_COLUMNS } from '@tocsin/feeds';
import type { FastifyReply } from 'fastify';
import { ConditionalHeaders, isNotModified } from '../http/conditional-get';
import { preferredMediaType } from '../http/content-negotiation';
import { page } from '../http/cursor';
import { localisedArea } from '@tocsin/areas';
import { toInstant } from '../http/shared.dto';
import {
  AreaLevelsDto,
  LevelHistoryDto,
  LevelHistoryQuery,
  LevelListDto,
  LevelsQuery,
  renderEffectiveLevel,
  renderLevelChange,
} from './level.dto';
import { LEVEL_LIST_MEDIA_TYPES, LevelListRenderings } from './level-list-renderings';

const AREA_PARAM = {
  name: 'area',
  example: 'KZ-75',
  description: 'ISO 3166-1 or 3166-2 code; old codes such as KZ-ALA work too.',
};

@ApiTags('levels')
@Controller('v1/levels')
export class LevelsController {
  private readonly renderings = new LevelListRenderings();

  constructor(private readonly levels: LevelsService) {}

  @Get()
  @ApiProduces(...LEVEL_LIST_MEDIA_TYPES)
  @ApiExtraModels(LevelListDto)
  @ApiOkResponse({
    description:
      'Every area with a level of its own, now or as of `at`. With `Accept: text/csv`, the same as CSV with a ' +
      `header row (${LEVELS_CSV_COLUMNS.join(', ')}), for spreadsheets. A strong ETag per representation.`,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LevelListDto) } },
      [CSV_MEDIA_TYPE]: { schema: { type: 'string' } },
    },
  })
  @ApiNotModifiedResponse({ description: 'If-None-Match: the copy held is current.' })
  async list(
    @Query() query: LevelsQuery,
    @Headers() headers: ConditionalHeaders & { accept?: string },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    const list = query.at ? await this.levels.all(toInstant(query.at)) : await this.levels.current();
    const mediaType = preferredMediaType(headers.accept, LEVEL_LIST_MEDIA_TYPES);
    const rendered = this.renderings.of(list, mediaType, query.lang);
    void reply
      .header('vary', 'accept')
      .header('etag', rendered.etag)
      .header('cache-control', 'public, no-cache');
    if (isNotModified(headers, { etag: rendered.etag, lastModified: null })) {
      void reply.status(304);
      return undefined;
    }
    void reply.header('content-type', rendered.contentType);
    return rendered.body;
  }

  @Get(':area')
  @ApiParam(AREA_PARAM)
  @ApiOkResponse({
    type: AreaLevelsDto,
    description: 'Effective levels of one area (a subdivision takes the higher of its own and its country).',
  })
  async one(@Param('area') areaCode: string, @Query() query: LevelsQuery): Promise<AreaLevelsDto> {
    const found = await this.levels.of(areaCode, query.at ? toInstant(query.at) : undefined);
    const area = localisedArea(found.area, query.lang ?? 'en');
    return {
      area,
      levels: found.levels.map((level) => renderEffectiveLevel(area, level)),
      subdivisions: found.subdivisions.map((s) => {
        const subdivision = localisedArea(s.area, query.lang ?? 'en');
        return {
          area: subdivision,
          levels: s.levels.map((level) => renderEffectiveLevel(subdivision, level)),
        };
      }),
    };
  }

  @Get(':area/history')
  @ApiParam(AREA_PARAM)
  @ApiOkResponse({
    type: LevelHistoryDto,
    description: 'Every change of the area’s effective level, newest first.',
  })
  async history(
    @Param('area') areaCode: string,
    @Query() query: LevelHistoryQuery,
  ): Promise<LevelHistoryDto> {
    return page(
      query,
      async (window) => (await this.levels.history(areaCode, window)).changes,
      (change) => renderLevelChange(change, query.lang),
    );
  }
}

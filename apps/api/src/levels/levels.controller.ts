import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { LevelsService } from '@tocsin/declarations';
import { CSV_MEDIA_TYPE, LEVELS_CSV_COLUMNS, renderLevelsCsv } from '@tocsin/feeds';
import type { FastifyReply } from 'fastify';
import { preferredMediaType } from '../http/content-negotiation';
import { decodeCursor, page } from '../http/cursor';
import { AtQuery, PageQuery, toInstant } from '../http/shared.dto';
import {
  AreaLevelsDto,
  LevelHistoryDto,
  LevelListDto,
  renderEffectiveLevel,
  renderLevelChange,
} from './level.dto';

const AREA_PARAM = {
  name: 'area',
  example: 'KZ-75',
  description: 'ISO 3166-1 or 3166-2 code; old codes such as KZ-ALA work too.',
};

@ApiTags('levels')
@Controller('v1/levels')
export class LevelsController {
  constructor(private readonly levels: LevelsService) {}

  @Get()
  @ApiProduces('application/json', CSV_MEDIA_TYPE)
  @ApiExtraModels(LevelListDto)
  @ApiOkResponse({
    description:
      'Every area with a level of its own, now or as of `at`. With `Accept: text/csv`, the same as CSV with a ' +
      `header row (${LEVELS_CSV_COLUMNS.join(', ')}), for spreadsheets.`,
    content: {
      'application/json': { schema: { $ref: getSchemaPath(LevelListDto) } },
      [CSV_MEDIA_TYPE]: { schema: { type: 'string' } },
    },
  })
  async list(
    @Query() query: AtQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LevelListDto | string> {
    const levels = await this.levels.all(query.at ? toInstant(query.at) : undefined);
    void reply.header('vary', 'accept');
    if (preferredMediaType(accept, ['application/json', CSV_MEDIA_TYPE]) === CSV_MEDIA_TYPE) {
      void reply.header('content-type', `${CSV_MEDIA_TYPE}; charset=utf-8`);
      return renderLevelsCsv(levels);
    }
    return { items: levels.map(({ area, level }) => renderEffectiveLevel(area, level)), nextCursor: null };
  }

  @Get(':area')
  @ApiParam(AREA_PARAM)
  @ApiOkResponse({
    type: AreaLevelsDto,
    description: 'Effective levels of one area (a subdivision takes the higher of its own and its country).',
  })
  async one(@Param('area') areaCode: string, @Query() query: AtQuery): Promise<AreaLevelsDto> {
    const { area, levels, subdivisions } = await this.levels.of(
      areaCode,
      query.at ? toInstant(query.at) : undefined,
    );
    return {
      area,
      levels: levels.map((level) => renderEffectiveLevel(area, level)),
      subdivisions: subdivisions.map((s) => ({
        area: s.area,
        levels: s.levels.map((level) => renderEffectiveLevel(s.area, level)),
      })),
    };
  }

  @Get(':area/history')
  @ApiParam(AREA_PARAM)
  @ApiOkResponse({
    type: LevelHistoryDto,
    description: 'Every change of the area’s effective level, newest first.',
  })
  async history(@Param('area') areaCode: string, @Query() query: PageQuery): Promise<LevelHistoryDto> {
    const offset =
      decodeCursor(query.cursor, (v): v is number => Number.isInteger(v) && (v as number) > 0) ?? 0;
    const { changes } = await this.levels.history(areaCode);
    return page(
      changes.slice(offset, offset + query.limit + 1),
      query.limit,
      renderLevelChange,
      () => offset + query.limit,
    );
  }
}

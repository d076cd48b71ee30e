import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { LevelsService } from '@tocsin/declarations';
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
  @ApiOkResponse({
    type: LevelListDto,
    description: 'Every area with a level of its own, now or as of `at`.',
  })
  async list(@Query() query: AtQuery): Promise<LevelListDto> {
    const levels = await this.levels.all(query.at ? toInstant(query.at) : undefined);
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

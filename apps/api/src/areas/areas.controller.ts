import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { findCountry, listAreas, requireArea } from '@tocsin/areas';
import { AreaDetailDto, AreaListDto, AreasQuery, LanguageQuery, renderArea } from './area.dto';

@ApiTags('areas')
@Controller('v1/areas')
export class AreasController {
  @Get()
  @ApiOkResponse({
    type: AreaListDto,
    description: 'ISO 3166-1 countries and current ISO 3166-2 subdivisions.',
  })
  list(@Query() query: AreasQuery): AreaListDto {
    if (query.country && !findCountry(query.country)) {
      throw new NotFoundException(`There is no country "${query.country}".`);
    }
    return {
      items: listAreas({ country: query.country, type: query.type }).map((area) =>
        renderArea(area, query.lang),
      ),
      nextCursor: null,
    };
  }

  @Get(':code')
  @ApiOkResponse({
    type: AreaDetailDto,
    description: 'One area; old codes (KZ-ALA) answer with the current one.',
  })
  one(@Param('code') code: string, @Query() query: LanguageQuery): AreaDetailDto {
    return renderArea(requireArea(code), query.lang);
  }
}

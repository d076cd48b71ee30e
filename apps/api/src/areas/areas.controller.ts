import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Area, countryNames, defaultSchemeFor, findArea, listAreas } from '@tocsin/areas';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AreaDto } from '../http/shared.dto';

class AreasQuery {
  @ApiPropertyOptional({ example: 'KZ', description: 'Only this country and its subdivisions.' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code such as KZ' })
  country?: string;

  @ApiPropertyOptional({ enum: ['country', 'subdivision'] })
  @IsOptional()
  @IsIn(['country', 'subdivision'])
  type?: 'country' | 'subdivision';
}

class AreaDetailDto extends AreaDto {
  @ApiProperty({ example: 'kz-terror', description: "The country's default scheme." }) defaultScheme!: string;
  @ApiPropertyOptional({ example: { en: 'Kazakhstan', kk: 'Қазақстан', ru: 'Казахстан' } }) names?: Record<
    string,
    string
  >;
}

class AreaListDto {
  @ApiProperty({ type: [AreaDetailDto] }) items!: AreaDetailDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: the whole list fits one page.' })
  nextCursor!: null;
}

const render = (area: Area): AreaDetailDto => ({
  ...area,
  defaultScheme: defaultSchemeFor(area.parent ?? area.code),
  ...(area.type === 'country' ? { names: countryNames(area.code) } : {}),
});

@ApiTags('areas')
@Controller('v1/areas')
export class AreasController {
  @Get()
  @ApiOkResponse({
    type: AreaListDto,
    description: 'ISO 3166-1 countries and current ISO 3166-2 subdivisions.',
  })
  list(@Query() query: AreasQuery): AreaListDto {
    if (query.country && findArea(query.country)?.type !== 'country') {
      throw new NotFoundException(`There is no country "${query.country}".`);
    }
    return { items: listAreas({ country: query.country, type: query.type }).map(render), nextCursor: null };
  }

  @Get(':code')
  @ApiOkResponse({
    type: AreaDetailDto,
    description: 'One area; old codes (KZ-ALA) answer with the current one.',
  })
  one(@Param('code') code: string): AreaDetailDto {
    const area = findArea(code);
    if (!area) throw new NotFoundException(`There is no area "${code}".`);
    return render(area);
  }
}

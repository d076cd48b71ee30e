import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Area, countryNames, defaultSchemeFor } from '@tocsin/areas';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AreaDto } from '../http/shared.dto';

export class AreasQuery {
  @ApiPropertyOptional({ example: 'KZ', description: 'Only this country and its subdivisions.' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code such as KZ' })
  country?: string;

  @ApiPropertyOptional({ enum: ['country', 'subdivision'] })
  @IsOptional()
  @IsIn(['country', 'subdivision'])
  type?: 'country' | 'subdivision';
}

export class AreaDetailDto extends AreaDto {
  @ApiProperty({ example: 'kz-terror', description: "The country's default scheme." }) defaultScheme!: string;
  @ApiPropertyOptional({ example: { en: 'Kazakhstan', kk: 'Қазақстан', ru: 'Казахстан' } }) names?: Record<
    string,
    string
  >;
}

export class AreaListDto {
  @ApiProperty({ type: [AreaDetailDto] }) items!: AreaDetailDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: the whole list fits one page.' })
  nextCursor!: null;
}

export const renderArea = (area: Area): AreaDetailDto => ({
  ...area,
  defaultScheme: defaultSchemeFor(area.parent ?? area.code),
  ...(area.type === 'country' ? { names: countryNames(area.code) } : {}),
});

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Area, areaNames, defaultSchemeFor, localisedArea } from '@tocsin/areas';
import { canonicalLanguage } from '@tocsin/i18n';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches, ValidateBy } from 'class-validator';
import { AreaDto } from '../http/shared.dto';

/** `?lang=`: the language of area names in an answer. */
export class LanguageQuery {
  @ApiPropertyOptional({
    example: 'ru',
    description:
      'A BCP 47 tag: area `name`s in that language where known (Kazakh and Russian: every country and ' +
      "Kazakhstan's regions and cities, most other subdivisions in Russian), else English. A well-formed tag " +
      'without names (`fr`) reads as English; one that is not BCP 47 (`en_US`) is a 400. Default English.',
  })
  @IsOptional()
  @Transform(
    ({ value }: { value: unknown }) => (typeof value === 'string' && canonicalLanguage(value)) || value,
  )
  @ValidateBy({
    name: 'isLanguageTag',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && canonicalLanguage(value) === value,
      defaultMessage: () => 'must be a BCP 47 language tag such as en, ru, kk or sr-Latn-RS',
    },
  })
  lang?: string;
}

export class AreasQuery extends LanguageQuery {
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
  @ApiPropertyOptional({
    example: { en: 'Kazakhstan', kk: 'Қазақстан', ru: 'Казахстан' },
    description: 'Every name the area has, by language; `name` is the one `?lang=` asked for.',
  })
  names?: Record<string, string>;
}

export class AreaListDto {
  @ApiProperty({ type: [AreaDetailDto] }) items!: AreaDetailDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: the whole list fits one page.' })
  nextCursor!: null;
}

/** The area with its name in `lang` (English when none), its default scheme and every name it has. */
export const renderArea = (area: Area, lang = 'en'): AreaDetailDto => ({
  ...localisedArea(area, lang),
  defaultScheme: defaultSchemeFor(area.parent ?? area.code),
  names: areaNames(area.code),
});

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsLanguageTag, toCanonicalLanguage } from '../declarations/declaration-languages.dto';
import { IsAreaCode } from '../http/shared.dto';

export class FeedQuery {
  @ApiPropertyOptional({
    example: 'KZ',
    description:
      'Only declarations bearing on this area: a country with its subdivisions, a subdivision with its country.',
  })
  @IsOptional()
  @IsAreaCode()
  area?: string;

  @ApiPropertyOptional({
    example: 'ru',
    description:
      "BCP 47 tag: entries' titles and summaries in this language where their declaration has it, else in " +
      'its own; the feed carries it as `xml:lang`. Default: DEFAULT_LANGUAGE.',
  })
  @IsOptional()
  @Transform(toCanonicalLanguage)
  @IsLanguageTag()
  lang?: string;
}

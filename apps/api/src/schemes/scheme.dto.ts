import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  OmitType,
  PartialType,
  PickType,
} from '@nestjs/swagger';
import {
  CAP_SEVERITIES,
  CapSeverity,
  LevelTranslations,
  SchemeApproval,
  SchemeTranslations,
  StoredScheme,
} from '@tocsin/schemes';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  AreTranslations,
  LEVEL_TRANSLATION,
  LevelTranslationDto,
  MAX_SCHEME_TRANSLATIONS,
  SCHEME_TRANSLATION,
  SchemeTranslationDto,
  toCanonicalTranslations,
} from './scheme-translations.dto';

const CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

const translationsProperty = (
  model: typeof SchemeTranslationDto | typeof LevelTranslationDto,
  patch = false,
) =>
  ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(model), ...(patch ? { nullable: true } : {}) },
    example:
      model === SchemeTranslationDto
        ? { ru: { name: 'Уровни террористической опасности', event: 'уровень террористической опасности' } }
        : { ru: { name: 'критический («красный»)', description: '…', measures: ['…'] } },
    description:
      `The texts in other languages, keyed by BCP 47 tag (stored canonical), at most ${MAX_SCHEME_TRANSLATIONS}; ` +
      'each bounded as the original is; a field left out reads as the original.' +
      (patch
        ? ' Merged by language: a language given replaces its texts, a language given null is removed.'
        : ''),
  });

export class SchemeLevelDto {
  @ApiProperty({ example: 'red', pattern: CODE.source })
  @Matches(CODE, { message: 'must be lowercase letters, digits and -, at most 40' })
  code!: string;

  @ApiProperty({ example: 3, description: '1 = lowest; a scheme ranks its levels 1..n.' })
  @IsInt()
  @Min(1)
  @Max(20)
  rank!: number;

  @ApiProperty({ example: 'Critical' }) @IsString() @Length(1, 200) name!: string;

  @ApiProperty({ type: String, nullable: true, example: '#d32f2f' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour like #d32f2f' })
  color!: string | null;

  @ApiProperty() @IsString() @Length(1, 2000) description!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  measures!: string[];

  @ApiProperty({ enum: CAP_SEVERITIES, description: 'The CAP 1.2 severity this level maps to.' })
  @IsIn(CAP_SEVERITIES)
  capSeverity!: CapSeverity;

  @translationsProperty(LevelTranslationDto)
  @IsOptional()
  @Transform(toCanonicalTranslations)
  @AreTranslations(LEVEL_TRANSLATION)
  translations?: LevelTranslations;
}

export class SchemeApprovalDto {
  @ApiProperty({
    example: 3,
    description: 'Declarations at or above this rank wait for a second key; one of the scheme’s ranks.',
  })
  @IsInt()
  @Min(1)
  @Max(20)
  minRank!: number;
}

const approvalProperty = () =>
  ApiPropertyOptional({
    type: SchemeApprovalDto,
    nullable: true,
    description:
      'Four eyes: a declaration at or above `minRank` is `pending_approval` until a publisher or admin key ' +
      'other than its publisher approves it. null = none needs approval.',
  });

export class CreateSchemeDto {
  @ApiProperty({ example: 'kz-terror', pattern: CODE.source })
  @Matches(CODE, { message: 'must be lowercase letters, digits and -, at most 40' })
  id!: string;

  @ApiProperty() @IsString() @Length(1, 200) name!: string;

  @ApiProperty({ example: 'terrorism threat level', description: 'Fits "<area> — <event> <LEVEL>".' })
  @IsString()
  @Length(1, 100)
  event!: string;

  @ApiProperty() @IsString() @Length(1, 4000) description!: string;
  @ApiProperty() @IsString() @Length(1, 300) authority!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'KZ' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as KZ' })
  country?: string | null;

  @translationsProperty(SchemeTranslationDto)
  @IsOptional()
  @Transform(toCanonicalTranslations)
  @AreTranslations(SCHEME_TRANSLATION)
  translations?: SchemeTranslations;

  @ApiProperty({ type: [SchemeLevelDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SchemeLevelDto)
  levels!: SchemeLevelDto[];

  @approvalProperty()
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SchemeApprovalDto)
  approval?: SchemeApprovalDto | null;
}

export class SchemeLevelChangesDto extends PartialType(
  OmitType(SchemeLevelDto, ['code', 'rank', 'translations'] as const),
) {
  @ApiProperty({ description: 'The level to change; codes and ranks never change.' })
  @Matches(CODE, { message: 'must be lowercase letters, digits and -, at most 40' })
  code!: string;

  @translationsProperty(LevelTranslationDto, true)
  @IsOptional()
  @Transform(toCanonicalTranslations)
  @AreTranslations(LEVEL_TRANSLATION, { removable: true })
  translations?: Record<string, LevelTranslations[string] | null>;
}

@ApiExtraModels(SchemeTranslationDto, LevelTranslationDto)
export class UpdateSchemeDto extends PartialType(
  PickType(CreateSchemeDto, ['name', 'event', 'description', 'authority'] as const),
) {
  @translationsProperty(SchemeTranslationDto, true)
  @IsOptional()
  @Transform(toCanonicalTranslations)
  @AreTranslations(SCHEME_TRANSLATION, { removable: true })
  translations?: Record<string, SchemeTranslations[string] | null>;

  @ApiPropertyOptional({ type: [SchemeLevelChangesDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SchemeLevelChangesDto)
  levels?: SchemeLevelChangesDto[];

  @approvalProperty()
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SchemeApprovalDto)
  approval?: SchemeApprovalDto | null;
}

export class SchemeLevelAnswerDto extends OmitType(SchemeLevelDto, ['translations'] as const) {
  @translationsProperty(LevelTranslationDto) translations!: LevelTranslations;
}

@ApiExtraModels(SchemeTranslationDto, LevelTranslationDto)
export class SchemeDto extends OmitType(CreateSchemeDto, [
  'country',
  'translations',
  'levels',
  'approval',
] as const) {
  @ApiProperty({ type: String, nullable: true }) country!: string | null;
  @ApiProperty({
    type: SchemeApprovalDto,
    nullable: true,
    description: 'Declarations at or above `minRank` wait for a second key; null = none.',
  })
  approval!: SchemeApproval | null;
  @translationsProperty(SchemeTranslationDto) translations!: SchemeTranslations;
  @ApiProperty({ type: [SchemeLevelAnswerDto] }) levels!: SchemeLevelAnswerDto[];
  @ApiProperty() builtin!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class SchemeListDto {
  @ApiProperty({ type: [SchemeDto] }) items!: SchemeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: null;
}

export function renderScheme(scheme: StoredScheme): SchemeDto {
  return {
    id: scheme.id,
    name: scheme.name,
    event: scheme.event,
    description: scheme.description,
    authority: scheme.authority,
    country: scheme.country,
    translations: scheme.translations,
    builtin: scheme.builtin,
    levels: scheme.levels,
    approval: scheme.approval,
    createdAt: scheme.createdAt.toISOString(),
    updatedAt: scheme.updatedAt.toISOString(),
  };
}

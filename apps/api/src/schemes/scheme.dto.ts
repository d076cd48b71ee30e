import { ApiProperty, ApiPropertyOptional, OmitType, PartialType, PickType } from '@nestjs/swagger';
import { CAP_SEVERITIES, CapSeverity, StoredScheme } from '@tocsin/schemes';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

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
}

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

  @ApiProperty({ type: [SchemeLevelDto] })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SchemeLevelDto)
  levels!: SchemeLevelDto[];
}

export class SchemeLevelChangesDto extends PartialType(OmitType(SchemeLevelDto, ['code', 'rank'] as const)) {
  @ApiProperty({ description: 'The level to change; codes and ranks never change.' })
  @Matches(CODE, { message: 'must be lowercase letters, digits and -, at most 40' })
  code!: string;
}

export class UpdateSchemeDto extends PartialType(
  PickType(CreateSchemeDto, ['name', 'event', 'description', 'authority'] as const),
) {
  @ApiPropertyOptional({ type: [SchemeLevelChangesDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SchemeLevelChangesDto)
  levels?: SchemeLevelChangesDto[];
}

export class SchemeDto extends OmitType(CreateSchemeDto, ['country']) {
  @ApiProperty({ type: String, nullable: true }) country!: string | null;
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
    builtin: scheme.builtin,
    levels: scheme.levels,
    createdAt: scheme.createdAt.toISOString(),
    updatedAt: scheme.updatedAt.toISOString(),
  };
}

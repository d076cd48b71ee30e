import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { ITEM_OUTCOMES, ItemOutcome, Source, SOURCE_KINDS, SourceItem, SourceKind } from '@tocsin/ingest';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class LevelRuleDto {
  @ApiProperty({ example: 'red', description: "A level code of the source's scheme." })
  @IsString()
  @Length(1, 100)
  level!: string;

  @ApiPropertyOptional({ example: 'Extreme', description: 'CAP <severity> to equal.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  severity?: string;

  @ApiPropertyOptional({ example: 'Terrorism threat', description: 'CAP <event> to equal.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  event?: string;

  @ApiPropertyOptional({
    example: 'threatLevel',
    description: 'A <parameter> valueName; with parameterValue.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  parameterName?: string;

  @ApiPropertyOptional({ example: 'red' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  parameterValue?: string;
}

export class CreateSourceDto {
  @ApiProperty({ example: 'KNB CAP feed' })
  @Transform(trim)
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: SOURCE_KINDS })
  @IsIn(SOURCE_KINDS)
  kind!: SourceKind;

  @ApiPropertyOptional({
    example: 'https://alerts.example.org/cap.atom',
    description:
      'cap-feed: an Atom or RSS feed whose entries link CAP documents, or one CAP document; https on a ' +
      'public address (the webhooks’ SSRF rule; WEBHOOK_ALLOW_PRIVATE opens it).',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  url?: string;

  @ApiPropertyOptional({
    example: 300,
    description: 'cap-feed: default 300, at least SOURCE_MIN_POLL_SECONDS.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  pollSeconds?: number;

  @ApiProperty({ example: 'kz-terror', description: 'The scheme its declarations set.' })
  @IsString()
  @Length(1, 100)
  scheme!: string;

  @ApiProperty({
    type: [LevelRuleDto],
    description: 'The first rule whose given fields all equal an <info>’s wins.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => LevelRuleDto)
  levelRules!: LevelRuleDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'EMMA_ID=KZ001': 'KZ-75' },
    description: 'Geocodes that are not ISO 3166 ("valueName=value") to area codes.',
  })
  @IsOptional()
  @IsObject()
  areaMap?: Record<string, string>;

  @ApiPropertyOptional({
    type: [String],
    example: ['KZ'],
    description: 'Areas of an alert none of whose geocodes map.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  defaultAreas?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateSourceDto extends PartialType(OmitType(CreateSourceDto, ['kind'] as const)) {}

export class SourceCountsDto {
  @ApiProperty() seen!: number;
  @ApiProperty() imported!: number;
  @ApiProperty() duplicates!: number;
  @ApiProperty() rejected!: number;
}

export class SourceDto {
  @ApiProperty({ example: 'src_0190d7e4-…' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: SOURCE_KINDS }) kind!: SourceKind;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
  @ApiProperty({ type: Number, nullable: true }) pollSeconds!: number | null;
  @ApiProperty() scheme!: string;
  @ApiProperty({ type: [LevelRuleDto] }) levelRules!: LevelRuleDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) areaMap!: Record<string, string>;
  @ApiProperty({ type: [String] }) defaultAreas!: string[];
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'When it was last fetched (or pushed to).' })
  lastFetchedAt!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'HTTP status of the last fetch; null = none answered.',
  })
  lastStatus!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: SourceCountsDto }) counts!: SourceCountsDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreatedSourceDto extends SourceDto {
  @ApiPropertyOptional({
    example: 'tpk_…',
    description: 'cap-push only, shown this once: send it as Authorization: Bearer or Tocsin-Push-Key.',
  })
  pushKey?: string;
}

export class SourceListDto {
  @ApiProperty({ type: [SourceDto] }) items!: SourceDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class SourceItemDto {
  @ApiProperty({ example: 'itm_0190d7e4-…' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) sender!: string | null;
  @ApiProperty({ type: String, nullable: true }) identifier!: string | null;
  @ApiProperty({ type: String, nullable: true }) sent!: string | null;
  @ApiProperty({ enum: ITEM_OUTCOMES }) outcome!: ItemOutcome;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: [String] }) declarationIds!: string[];
  @ApiProperty() receivedAt!: string;
}

export class SourceItemListDto {
  @ApiProperty({ type: [SourceItemDto] }) items!: SourceItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class ImportOutcomeDto {
  @ApiProperty({ enum: ITEM_OUTCOMES }) outcome!: ItemOutcome;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ type: [String] }) declarationIds!: string[];
}

export function renderSource(s: Source): SourceDto {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    url: s.url,
    pollSeconds: s.pollSeconds,
    scheme: s.schemeId,
    levelRules: s.levelRules,
    areaMap: s.areaMap,
    defaultAreas: s.defaultAreas,
    enabled: s.enabled,
    lastFetchedAt: s.lastFetchedAt?.toISOString() ?? null,
    lastStatus: s.lastStatus,
    lastError: s.lastError,
    counts: s.counts,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

export function renderItem(i: SourceItem): SourceItemDto {
  return {
    id: i.id,
    sender: i.sender,
    identifier: i.identifier,
    sent: i.sent,
    outcome: i.outcome,
    reason: i.reason,
    declarationIds: i.declarationIds,
    receivedAt: i.receivedAt.toISOString(),
  };
}

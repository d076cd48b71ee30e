import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { areaOf, findArea } from '@tocsin/areas';
import {
  APPROVAL_STATES,
  ApprovalState,
  Declaration,
  DECLARATION_MODES,
  DECLARATION_STATUSES,
  DeclarationMode,
  DeclarationStatus,
  DeclarationTranslations,
  PreviewedChange,
} from '@tocsin/declarations';
import { Audience } from '@tocsin/subscribers';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  MaxLength,
} from 'class-validator';
import { AreaDto, IsAreaCode, IsInstant, LevelDto, PageQuery } from '../http/shared.dto';
import {
  AreDeclarationTranslations,
  DeclarationTranslationDto,
  IsLanguageTag,
  MAX_TRANSLATIONS,
  TEXT_LIMITS,
  toCanonicalLanguage,
  toCanonicalTranslations,
} from './declaration-languages.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** The longest reason (urgent publication, rejection, cancellation) kept. */
const REASON_LIMIT = 1000;

export class PublishDeclarationDto {
  @ApiProperty({ example: 'kz-terror' }) @IsString() @Length(1, 40) scheme!: string;
  @ApiProperty({ example: 'red' }) @IsString() @Length(1, 40) level!: string;

  @ApiProperty({
    type: [String],
    example: ['KZ'],
    description: 'ISO 3166 codes; old codes are accepted and stored as current ones.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsAreaCode({ each: true })
  areas!: string[];

  @ApiProperty({ example: 'Critical (red) terrorism threat level across Kazakhstan' })
  @Transform(trim)
  @IsString()
  @Length(1, TEXT_LIMITS.headline)
  headline!: string;

  @ApiProperty() @Transform(trim) @IsString() @Length(1, TEXT_LIMITS.summary) summary!: string;

  @ApiPropertyOptional({ type: [String], description: "Default: the level's typical measures." })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TEXT_LIMITS.measures)
  @IsString({ each: true })
  @Length(1, TEXT_LIMITS.measure, { each: true })
  measures?: string[];

  @ApiPropertyOptional({
    example: 'kk',
    description:
      'BCP 47 tag of headline, summary and measures, stored in canonical form (`ru-ru` → `ru-RU`). ' +
      'Default: DEFAULT_LANGUAGE.',
  })
  @IsOptional()
  @Transform(toCanonicalLanguage)
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(DeclarationTranslationDto) },
    example: {
      ru: { headline: 'Критический («красный») уровень террористической опасности', summary: '…' },
    },
    description:
      `The texts in other languages, keyed by BCP 47 tag (stored canonical), at most ${MAX_TRANSLATIONS}, ` +
      "none the declaration's own. Each has headline, summary and measures, bounded as the original's; " +
      "a field left out reads as the original's.",
  })
  @IsOptional()
  @Transform(toCanonicalTranslations)
  @AreDeclarationTranslations()
  translations?: DeclarationTranslations;

  @ApiProperty({ example: 'Anti-Terrorist Centre of the Republic of Kazakhstan' })
  @Transform(trim)
  @IsString()
  @Length(1, 300)
  authority!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'https://www.gov.kz/' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'must be an http(s) URL' })
  @MaxLength(2000)
  sourceUrl?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Default now; future = scheduled; past = recording history.',
  })
  @IsOptional()
  @IsInstant()
  effectiveAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Default: until further notice.' })
  @IsOptional()
  @IsInstant()
  expiresAt?: string | null;

  @ApiPropertyOptional({
    enum: DECLARATION_MODES,
    default: 'actual',
    description:
      'CAP status. An exercise or test never changes a level; it is announced as `threat_level.exercise` ' +
      'only to webhook endpoints and subscriptions created with `exercises: true`.',
  })
  @IsOptional()
  @IsIn(DECLARATION_MODES)
  mode?: DeclarationMode;

  @ApiPropertyOptional({
    description:
      "Admin keys only (a publisher's is a 403): publish at once although the scheme's approval covers this " +
      'level; `urgentReason` is then required and kept in the audit log.',
  })
  @IsOptional()
  @IsBoolean()
  urgent?: boolean;

  @ApiPropertyOptional({ example: 'Attack under way in Almaty; no second officer reachable.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, REASON_LIMIT)
  urgentReason?: string;
}

export class CancelDeclarationDto {
  @ApiPropertyOptional({ example: 'Published for the wrong region.' })
  @IsOptional()
  @IsString()
  @Length(1, REASON_LIMIT)
  reason?: string;
}

export class RejectDeclarationDto {
  @ApiProperty({ example: 'The threat is not confirmed by a second source.' })
  @Transform(trim)
  @IsString()
  @Length(1, REASON_LIMIT)
  reason!: string;
}

export class DeclarationQueryDto extends PageQuery {
  @ApiPropertyOptional({ example: 'KZ-75', description: 'Declarations naming this area.' })
  @IsOptional()
  @IsAreaCode()
  area?: string;

  @ApiPropertyOptional({ enum: DECLARATION_STATUSES })
  @IsOptional()
  @IsIn(DECLARATION_STATUSES)
  status?: DeclarationStatus;

  @ApiPropertyOptional({ example: 'kz-terror' }) @IsOptional() @IsString() scheme?: string;

  @ApiPropertyOptional({ enum: DECLARATION_MODES })
  @IsOptional()
  @IsIn(DECLARATION_MODES)
  mode?: DeclarationMode;
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'true: only what awaits a second key — `pending_approval` declarations and those with a pending ' +
      '`cancelRequest` (the approvers’ list).',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'awaitingApproval must be true or false' })
  awaitingApproval?: boolean;
}

export class DeclarationOriginDto {
  @ApiProperty({ example: 'src_0190d7e4-…' }) sourceId!: string;
  @ApiProperty({ example: 'Committee for National Security' }) sourceName!: string;
  @ApiProperty({ description: "The CAP document's sender." }) sender!: string;
  @ApiProperty({ description: "The CAP document's identifier." }) identifier!: string;
  @ApiProperty({ description: "The CAP document's sent, as written." }) sent!: string;
}

export class KeyRefDto {
  @ApiProperty({ example: 'key_0190d7e4-…' }) id!: string;
  @ApiProperty({ example: 'duty officer' }) name!: string;
}

export class CancelRequestDto {
  @ApiProperty() requestedAt!: string;
  @ApiProperty({ type: KeyRefDto }) requestedBy!: KeyRefDto;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

@ApiExtraModels(DeclarationTranslationDto)
export class DeclarationDto {
  @ApiProperty({ example: 'dcl_0190d7e4-…' }) id!: string;
  @ApiProperty({
    enum: DECLARATION_STATUSES,
    description:
      '`pending_approval`: waits for a second key, announced and in force only once approved; ' +
      '`rejected`: refused, never announced.',
  })
  status!: DeclarationStatus;
  @ApiProperty({ enum: DECLARATION_MODES }) mode!: DeclarationMode;
  @ApiProperty({
    enum: APPROVAL_STATES,
    nullable: true,
    description:
      "null: its scheme's approval did not cover it; urgent: an admin published it without approval.",
  })
  approval!: ApprovalState | null;
  @ApiProperty({ type: KeyRefDto, nullable: true }) approvedBy!: KeyRefDto | null;
  @ApiProperty({ type: KeyRefDto, nullable: true }) rejectedBy!: KeyRefDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'When it was approved or rejected.' })
  decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) urgentReason!: string | null;
  @ApiProperty({
    type: CancelRequestDto,
    nullable: true,
    description:
      'A publisher’s cancellation of a declaration that needed approval, waiting for a second key ' +
      '(`POST …/approve` carries it out, `POST …/reject` drops it); kept once carried out.',
  })
  cancelRequest!: CancelRequestDto | null;
  @ApiProperty() scheme!: string;
  @ApiProperty({ type: LevelDto }) level!: LevelDto;
  @ApiProperty({ type: [AreaDto] }) areas!: AreaDto[];
  @ApiProperty() headline!: string;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [String] }) measures!: string[];
  @ApiProperty({ example: 'en', description: 'BCP 47 tag of headline, summary and measures.' })
  language!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(DeclarationTranslationDto) },
    description: "The texts in other languages by tag; a field left out is the original's.",
  })
  translations!: DeclarationTranslations;
  @ApiProperty() authority!: string;
  @ApiProperty({ type: String, nullable: true }) sourceUrl!: string | null;
  @ApiProperty() effectiveAt!: string;
  @ApiProperty({ type: String, nullable: true }) expiresAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ description: 'Name of the API key that published it.' }) createdBy!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Id of the API key that published it (which may not approve it); an import’s source id.',
  })
  createdByKey!: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelledAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelledBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason!: string | null;
  @ApiProperty({
    type: DeclarationOriginDto,
    nullable: true,
    description: "Set when imported from another authority's CAP alert (its document: origin.xml).",
  })
  origin!: DeclarationOriginDto | null;
}

export class DeclarationListDto {
  @ApiProperty({ type: [DeclarationDto] }) items!: DeclarationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export function renderDeclaration(d: Declaration): DeclarationDto {
  const decider = d.decidedBy ? { id: d.decidedBy.id, name: d.decidedBy.name } : null;
  return {
    id: d.id,
    status: d.status,
    mode: d.mode ?? 'actual',
    approval: d.approval ?? null,
    approvedBy: d.approval === 'approved' ? decider : null,
    rejectedBy: d.approval === 'rejected' ? decider : null,
    decidedAt: d.decidedAt?.toISOString() ?? null,
    rejectReason: d.rejectReason ?? null,
    urgentReason: d.urgentReason ?? null,
    cancelRequest: d.cancelRequest
      ? {
          requestedAt: d.cancelRequest.requestedAt.toISOString(),
          requestedBy: { id: d.cancelRequest.requestedBy.id, name: d.cancelRequest.requestedBy.name },
          reason: d.cancelRequest.reason,
        }
      : null,
    scheme: d.schemeId,
    level: d.level,
    areas: d.areaCodes.map(areaOf),
    headline: d.headline,
    summary: d.summary,
    measures: d.measures,
    language: d.language,
    translations: d.translations,
    authority: d.authority,
    sourceUrl: d.sourceUrl,
    effectiveAt: d.effectiveAt.toISOString(),
    expiresAt: d.expiresAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    createdBy: d.createdBy,
    createdByKey: d.createdByKey ?? null,
    cancelledAt: d.cancelledAt?.toISOString() ?? null,
    cancelledBy: d.cancelledBy,
    cancelReason: d.cancelReason,
    origin: d.origin ?? null,
  };
}

class PreviewLevelDto {
  @ApiProperty({ example: 'red' }) code!: string;
  @ApiProperty({ example: 3 }) rank!: number;
  @ApiProperty({ example: 'Critical' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: '#d32f2f' }) color!: string | null;
}

export class PreviewChangeDto {
  @ApiProperty({ type: AreaDto }) area!: AreaDto;
  @ApiProperty() scheme!: string;
  @ApiProperty({ type: PreviewLevelDto, nullable: true }) previous!: PreviewLevelDto | null;
  @ApiProperty({ type: PreviewLevelDto, nullable: true }) current!: PreviewLevelDto | null;
  @ApiProperty({ enum: ['escalated', 'deescalated', 'unchanged'] }) direction!: string;
}

export class DeclarationPreviewDto {
  @ApiProperty({ example: 12, description: 'Enabled webhook endpoints that would get the event.' })
  webhooks!: number;
  @ApiProperty({ example: 340, description: 'Confirmed email subscriptions that would get the event.' })
  emails!: number;
  @ApiProperty({
    type: [PreviewChangeDto],
    description: 'The level changes it would announce; none when it changes no level (or is history).',
  })
  changes!: PreviewChangeDto[];
}

export function renderPreview(changes: PreviewedChange[], audience: Audience): DeclarationPreviewDto {
  return {
    webhooks: audience.webhooks,
    emails: audience.emails,
    changes: changes.map((c) => ({
      area: findArea(c.areaCode)!,
      scheme: c.schemeId,
      previous: c.previous,
      current: c.current,
      direction: c.direction,
    })),
  };
}

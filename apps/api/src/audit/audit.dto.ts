import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, AuditAction, AuditEntry, AuditTargetType } from '@tocsin/audit';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsInstant, PageQuery } from '../http/shared.dto';

/** `actor=system`: Tocsin's own acts (keyId null); key ids are `key_…`, so the two never meet. */
export const SYSTEM_ACTOR_FILTER = 'system';

export class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({
    example: 'key_0190d7e4-…',
    description: `Only acts of this API key (its id); \`${SYSTEM_ACTOR_FILTER}\` for Tocsin's own acts.`,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'must be an API key id, or system' })
  actor?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS, description: 'Only this kind of act.' })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({
    example: '2026-01-01T00:00:00Z',
    description: 'Only acts at or after this instant (ISO 8601 with time zone).',
  })
  @IsOptional()
  @IsInstant()
  since?: string;

  @ApiPropertyOptional({ enum: AUDIT_TARGET_TYPES, description: 'Only acts on this kind of thing.' })
  @IsOptional()
  @IsIn(AUDIT_TARGET_TYPES)
  targetType?: AuditTargetType;

  @ApiPropertyOptional({ example: 'whk_0190d7e4-…', description: 'Only acts on the thing of this id.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  targetId?: string;
}

export class AuditActorDto {
  @ApiProperty({ type: String, nullable: true, description: 'The API key; null for Tocsin itself.' })
  keyId!: string | null;
  @ApiProperty({ example: 'KNB duty desk', description: 'The key’s name at the time; `system` for Tocsin.' })
  name!: string;
  @ApiProperty({ example: 'admin', description: 'The key’s role at the time; `system` for Tocsin.' })
  role!: string;
}

export class AuditTargetDto {
  @ApiProperty({ enum: AUDIT_TARGET_TYPES }) type!: AuditTargetType;
  @ApiProperty({ example: 'whk_0190d7e4-…' }) id!: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42', description: 'Increasing; a string, as it may outgrow a JSON number.' })
  id!: string;
  @ApiProperty({ example: '2026-01-13T06:00:00.000Z' }) at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: AuditAction;
  @ApiProperty({ type: AuditTargetDto }) target!: AuditTargetDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the act did; for an update, the changed fields with their new values. Never a secret.',
  })
  details!: Record<string, unknown>;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export const renderAuditEntry = (entry: AuditEntry): AuditEntryDto => ({
  id: String(entry.id),
  at: entry.at.toISOString(),
  actor: { keyId: entry.actor.keyId, name: entry.actor.name, role: entry.actor.role },
  action: entry.action,
  target: { type: entry.target.type, id: entry.target.id },
  details: entry.details,
});

import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { Area, areaOf, localisedArea } from '@tocsin/areas';
import { EffectiveLevel, LevelChange, directionOf } from '@tocsin/declarations';
import { LanguageQuery } from '../areas/area.dto';
import { AreaDto, AtQuery, LevelDto, PageQuery } from '../http/shared.dto';

/** `?at=` and `?lang=` (area names). */
export class LevelsQuery extends IntersectionType(AtQuery, LanguageQuery) {}
/** A page of history, area names in `?lang=`. */
export class LevelHistoryQuery extends IntersectionType(PageQuery, LanguageQuery) {}

export class EffectiveLevelDto {
  @ApiProperty({ type: AreaDto }) area!: AreaDto;
  @ApiProperty({ example: 'kz-terror' }) scheme!: string;
  @ApiProperty({ type: LevelDto }) level!: LevelDto;
  @ApiProperty() declarationId!: string;
  @ApiProperty({
    example: 'KZ',
    description: 'The area the level is declared for: this area or its country.',
  })
  source!: string;
  @ApiProperty({ example: '2022-01-07T03:00:00.000Z' }) since!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When it is known to end; null = until further notice.',
  })
  until!: string | null;
}

export class LevelListDto {
  @ApiProperty({ type: [EffectiveLevelDto] }) items!: EffectiveLevelDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: null;
}

export class SubdivisionLevelsDto {
  @ApiProperty({ type: AreaDto }) area!: AreaDto;
  @ApiProperty({ type: [EffectiveLevelDto] }) levels!: EffectiveLevelDto[];
}

export class AreaLevelsDto extends SubdivisionLevelsDto {
  @ApiProperty({
    type: [SubdivisionLevelsDto],
    description: 'For a country: its subdivisions with levels of their own.',
  })
  subdivisions!: SubdivisionLevelsDto[];
}

class HistoryLevelDto extends LevelDto {
  @ApiProperty() declarationId!: string;
  @ApiProperty() source!: string;
}

export class LevelChangeDto {
  @ApiProperty() at!: string;
  @ApiProperty({ type: AreaDto }) area!: AreaDto;
  @ApiProperty() scheme!: string;
  @ApiProperty({ enum: ['declared', 'expired', 'cancelled'] }) cause!: string;
  @ApiProperty({ type: HistoryLevelDto, nullable: true }) previous!: HistoryLevelDto | null;
  @ApiProperty({ type: HistoryLevelDto, nullable: true }) current!: HistoryLevelDto | null;
  @ApiProperty({ enum: ['escalated', 'deescalated', 'unchanged'] }) direction!: string;
  @ApiProperty({ description: 'The declaration that made the change.' }) declarationId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Who: the publisher, the canceller; null for an expiry.',
  })
  by!: string | null;
}

export class LevelHistoryDto {
  @ApiProperty({ type: [LevelChangeDto] }) items!: LevelChangeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export function renderEffectiveLevel(area: Area, level: EffectiveLevel): EffectiveLevelDto {
  return {
    area,
    scheme: level.schemeId,
    level: level.level,
    declarationId: level.declarationId,
    source: level.source,
    since: level.since.toISOString(),
    until: level.until?.toISOString() ?? null,
  };
}

const historyLevel = (level: EffectiveLevel | null): HistoryLevelDto | null =>
  level && { ...level.level, declarationId: level.declarationId, source: level.source };

export function renderLevelChange(change: LevelChange, lang = 'en'): LevelChangeDto {
  return {
    at: change.at.toISOString(),
    area: localisedArea(areaOf(change.areaCode), lang),
    scheme: change.schemeId,
    cause: change.cause,
    previous: historyLevel(change.previous),
    current: historyLevel(change.current),
    direction: directionOf(change.previous?.level ?? null, change.current?.level ?? null),
    declarationId: change.declarationId,
    by: change.by,
  };
}

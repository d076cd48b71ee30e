import { Inject, Injectable } from '@nestjs/common';
import { Area, countryCodeOf, findArea, requireArea } from '@tocsin/areas';
import { Clock } from '@tocsin/config';
import { DATABASE, Database, keysetInstant, keysetSlice, KeysetWindow, Positioned } from '@tocsin/database';
import { DeclarationsRepository } from './declarations.repository';
import {
  EffectiveLevel,
  effectiveLevels,
  LevelChange,
  levelHistory,
  levelsOfDeclaredAreas,
  nextChangeAfter,
} from './effective-level';
import { shareFreshReads } from './fresh-reads';
import { holdsAt, LevelList } from './level-list';

export interface AreaLevels {
  area: Area;
  levels: EffectiveLevel[];
  /** For a country: its subdivisions that have a level of their own. */
  subdivisions: { area: Area; levels: EffectiveLevel[] }[];
}

@Injectable()
export class LevelsService {
  /** The last list worked out for now, and the level revision read before it. */
  private latest: { list: LevelList; revision: number } | null = null;
  /** Concurrent requests share revision reads, each one sent after they asked. */
  private readonly levelRevision = shareFreshReads(() => this.repository.levelRevision());

  constructor(
    private readonly repository: DeclarationsRepository,
    private readonly clock: Clock,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  /** Every area with a level of its own at `at`, worked out afresh. */
  async all(at: Date): Promise<LevelList> {
    const entries = await this.repository.timelineAround({ kind: 'all' }, at);
    const items: LevelList['items'] = [];
    for (const level of levelsOfDeclaredAreas(entries, at)) {
      const area = findArea(level.areaCode);
      // An area retired from ISO 3166 after it was declared for; its history stays readable.
      if (area) items.push({ area, level });
    }
    return { at, items, validUntil: nextChangeAfter(entries, at) };
  }

  /**
   * Every area with a level of its own now. The list is kept while the level revision is unchanged (no
   * process has written since) and nothing in it has started or ended, so most calls cost one tiny query.
   */
  async current(): Promise<LevelList> {
    // Read before the timeline: a write that commits in between changes the revision the next call reads,
    // so it costs a recomputation, never a stale answer.
    const revision = await this.levelRevision();
    const now = this.clock.now();
    const latest = this.latest;
    if (latest && latest.revision === revision && holdsAt(latest.list, now)) return latest.list;
    const list = await this.all(now);
    this.latest = revision === null ? null : { list, revision };
    return list;
  }

  /** The effective levels of one area at `at`; for a country, also those of its subdivisions with levels of their own. */
  async of(areaInput: string, at: Date = this.clock.now()): Promise<AreaLevels> {
    const area = requireArea(areaInput);
    const country = countryCodeOf(area.code);
    if (area.type === 'subdivision') {
      const entries = await this.repository.timelineAround(
        { kind: 'areas', codes: [area.code, country] },
        at,
      );
      return { area, levels: effectiveLevels(area.code, country, entries, at), subdivisions: [] };
    }
    const entries = await this.repository.timelineAround({ kind: 'country', code: country }, at);
    const subdivisions = [...new Set(entries.map((e) => e.areaCode))]
      .filter((code) => code !== country)
      .sort()
      .map((code) => ({ area: findArea(code), levels: effectiveLevels(code, country, entries, at) }))
      .filter(
        (s): s is { area: Area; levels: EffectiveLevel[] } => s.area !== undefined && s.levels.length > 0,
      );
    return { area, levels: effectiveLevels(country, country, entries, at), subdivisions };
  }

  /**
   * A window of the changes of an area's effective level up to now, newest first. A change's position is
   * its instant and scheme: an area's level changes at most once per scheme at one instant. (An offset
   * would skip or repeat changes when one is recorded between two pages.)
   */
  async history(
    areaInput: string,
    window: KeysetWindow,
  ): Promise<{ area: Area; changes: Positioned<LevelChange>[] }> {
    const area = requireArea(areaInput);
    const country = countryCodeOf(area.code);
    const entries = await this.repository.timelineOf(this.db, [...new Set([area.code, country])]);
    const changes = levelHistory(area.code, country, entries, this.clock.now()).map((change) => ({
      ...change,
      position: { instant: keysetInstant(change.at), id: change.schemeId },
    }));
    return { area, changes: keysetSlice(changes, window) };
  }
}

import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { countryCodeOf, resolveAreaCodes } from '@tocsin/areas';
import { AppConfig, Clock } from '@tocsin/config';
import { DATABASE, Database, KeysetWindow, Positioned } from '@tocsin/database';
import { SchemesService } from '@tocsin/schemes';
import { Audience, AudienceRepository } from '@tocsin/subscribers';
import { uuidv7 } from 'uuidv7';
import { changedAreas } from './changed-areas';
import {
  Actor,
  Declaration,
  DeclarationOrigin,
  DeclarationStatus,
  DeclarationTranslations,
  NewDeclaration,
} from './declaration';
import { DeclarationsRepository, Queryable } from './declarations.repository';
import {
  ChangeCause,
  Direction,
  directionOf,
  LevelRef,
  supersededAtStart,
  TimelineEntry,
} from './effective-level';
import { AreaChange, buildLevelChangedEvent } from './level-changed-event';
import { NewOutboxEvent, OutboxRepository } from './outbox.repository';

export interface PublishRequest {
  scheme: string;
  level: string;
  areas: string[];
  headline: string;
  summary: string;
  measures?: string[];
  /** Canonical BCP 47 tag of headline, summary and measures; default DEFAULT_LANGUAGE. */
  language?: string;
  /** By canonical tag, none of them `language`. */
  translations?: DeclarationTranslations;
  authority: string;
  sourceUrl?: string | null;
  effectiveAt?: Date | null;
  expiresAt?: Date | null;
  /** Set by libs/ingest for a declaration made from another authority's CAP alert. */
  origin?: DeclarationOrigin | null;
}

/** One area's change as publishing a declaration would announce it. */
export interface PreviewedChange {
  areaCode: string;
  schemeId: string;
  previous: LevelRef | null;
  current: LevelRef | null;
  direction: Direction;
}

/** What publishing a request would do, publishing nothing: the changes it would announce and whom they reach. */
export interface DeclarationPreview {
  changes: PreviewedChange[];
  /** Counted with the fan-out's own filter rule. */
  audience: Audience;
}

export interface DeclarationQuery extends KeysetWindow {
  area?: string;
  /**
   * Declarations that bear on this area, as subscriptions match: a country takes its own and its subdivisions';
   * a subdivision takes its own and its country's.
   */
  concerning?: string;
  status?: DeclarationStatus;
  scheme?: string;
}

@Injectable()
export class DeclarationsService {
  constructor(
    private readonly repository: DeclarationsRepository,
    private readonly outbox: OutboxRepository,
    private readonly audience: AudienceRepository,
    private readonly schemes: SchemesService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  /**
   * Publishes a declaration. Its rows, and the event of any level it changes now, are written in one
   * transaction; a start or expiry still to come is written as an event due then.
   */
  async publish(request: PublishRequest, actor: Actor): Promise<Declaration> {
    const { declaration, level, scheme, now } = await this.prepare(request);
    const { areaCodes, effectiveAt, expiresAt } = declaration;
    const id = `dcl_${uuidv7()}`;
    const published: Declaration = {
      ...declaration,
      id,
      status: effectiveAt > now ? 'scheduled' : expiresAt && expiresAt <= now ? 'expired' : 'active',
      level: { code: level.code, rank: level.rank, name: level.name, color: level.color },
      createdAt: now,
      createdBy: actor.name,
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
    };

    await this.repository.inLevelWriteTransaction(async (tx) => {
      const before = await this.repository.timelineOf(tx, withCountries(areaCodes), scheme.id);
      await this.repository.insert(tx, id, declaration, actor, now);
      const added: TimelineEntry[] = areaCodes.map((areaCode) => ({
        declarationId: id,
        areaCode,
        schemeId: scheme.id,
        level: published.level,
        effectiveAt,
        expiresAt,
        createdAt: now,
        createdBy: actor.name,
        cancelledAt: null,
        cancelledBy: null,
      }));
      const events: NewOutboxEvent[] = [];
      const immediate = await this.eventFor(tx, 'declared', published, before, [...before, ...added], now);
      if (immediate) events.push(immediate);
      // Recording history (a validity wholly in the past) announces nothing; what is still to come is due later.
      if (effectiveAt > now) events.push(dueEvent(id, 'declared', effectiveAt));
      if (expiresAt && expiresAt > now) events.push(dueEvent(id, 'expired', expiresAt));
      await this.outbox.append(tx, events);
    });
    return (await this.repository.findById(id, this.clock.now())) ?? published;
  }

  /** What publishing `request` would announce, and to how many subscribers, writing nothing. */
  async preview(request: PublishRequest): Promise<DeclarationPreview> {
    const changes = await this.previewChanges(request);
    const audience = await this.audience.count(
      changes.map((c) => ({
        areaCode: c.areaCode,
        schemeId: c.schemeId,
        previousRank: c.previous?.rank ?? null,
        currentRank: c.current?.rank ?? null,
        direction: c.direction,
      })),
    );
    return { changes, audience };
  }

  /**
   * The level changes publishing `request` would announce, worked out as publishing does but writing
   * nothing: for a declaration that starts now, the changes now; for a scheduled one, those at its start
   * (as things stand); for one wholly in the past, none.
   */
  private async previewChanges(request: PublishRequest): Promise<PreviewedChange[]> {
    const { declaration, level, scheme, now } = await this.prepare(request);
    const { areaCodes, effectiveAt, expiresAt } = declaration;
    if (expiresAt && expiresAt <= now) return [];
    const before = await this.repository.timelineOf(this.db, withCountries(areaCodes), scheme.id);
    const added: TimelineEntry[] = areaCodes.map((areaCode) => ({
      declarationId: 'preview',
      areaCode,
      schemeId: scheme.id,
      level: { code: level.code, rank: level.rank, name: level.name, color: level.color },
      effectiveAt,
      expiresAt,
      createdAt: now,
      createdBy: 'preview',
      cancelledAt: null,
      cancelledBy: null,
    }));
    const after = [...before, ...added];
    const changed =
      effectiveAt > now
        ? changedAreas(
            areaCodes,
            scheme.id,
            { entries: after, at: new Date(effectiveAt.getTime() - 1) },
            { entries: after, at: effectiveAt },
          )
        : changedAreas(areaCodes, scheme.id, { entries: before, at: now }, { entries: after, at: now });
    return changed.map(({ areaCode, previous, current }) => ({
      areaCode,
      schemeId: scheme.id,
      previous: previous?.level ?? null,
      current: current?.level ?? null,
      direction: directionOf(previous?.level ?? null, current?.level ?? null),
    }));
  }

  async cancel(id: string, actor: Actor, reason: string | null): Promise<Declaration> {
    const now = this.clock.now();
    await this.repository.inLevelWriteTransaction(async (tx) => {
      const declaration = await this.repository.findById(id, now, tx);
      if (!declaration) throw new NotFoundException(`There is no declaration "${id}".`);
      if (
        declaration.status === 'cancelled' ||
        declaration.status === 'expired' ||
        declaration.status === 'superseded'
      ) {
        throw new ConflictException(
          `Declaration "${id}" is ${declaration.status} and can no longer be cancelled.`,
        );
      }
      const before = await this.repository.timelineOf(
        tx,
        withCountries(declaration.areaCodes),
        declaration.schemeId,
      );
      await this.repository.markCancelled(tx, id, actor, reason, now);
      const after = before.map((e) =>
        e.declarationId === id ? { ...e, cancelledAt: now, cancelledBy: actor.name } : e,
      );
      const event = await this.eventFor(tx, 'cancelled', declaration, before, after, now);
      await this.outbox.dropNotYetDue(tx, id, now);
      await this.outbox.append(tx, event ? [event] : []);
    });
    return (await this.repository.findById(id, this.clock.now()))!;
  }

  async get(id: string): Promise<Declaration> {
    const declaration = await this.repository.findById(id, this.clock.now());
    if (!declaration) throw new NotFoundException(`There is no declaration "${id}".`);
    return declaration;
  }

  async list(query: DeclarationQuery): Promise<Positioned<Declaration>[]> {
    const areaCodes = query.area ? [resolveAreaCodes([query.area])[0]] : undefined;
    const concerning = query.concerning ? resolveAreaCodes([query.concerning])[0] : undefined;
    const country = concerning && countryCodeOf(concerning);
    return this.repository.findMany(
      {
        areaCodes: concerning && concerning !== country ? [concerning, country!] : areaCodes,
        countryCode: concerning === country ? country : undefined,
        status: query.status,
        schemeId: query.scheme,
        after: query.after,
        limit: query.limit,
      },
      this.clock.now(),
    );
  }

  /** The declarations this one replaced when it started (see `supersededAtStart`), oldest first. */
  async superseded(declaration: Declaration): Promise<Declaration[]> {
    const timeline = await this.repository.timelineOf(this.db, declaration.areaCodes, declaration.schemeId);
    const now = this.clock.now();
    const found = await Promise.all(
      supersededAtStart(declaration.id, timeline).map((id) => this.repository.findById(id, now)),
    );
    return found.filter((d): d is Declaration => d !== null);
  }

  /** Checks a request (areas, scheme, level, validity) and gives the declaration it describes. */
  private async prepare(request: PublishRequest) {
    const areaCodes = resolveAreaCodes(request.areas);
    const scheme = await this.schemes.find(request.scheme);
    if (!scheme) throw new UnprocessableEntityException(`There is no scheme "${request.scheme}".`);
    const level = scheme.levels.find((l) => l.code === request.level);
    if (!level) {
      throw new UnprocessableEntityException(
        `Scheme "${scheme.id}" has no level "${request.level}"; its levels are ${scheme.levels.map((l) => l.code).join(', ')}.`,
      );
    }
    const now = this.clock.now();
    const effectiveAt = request.effectiveAt ?? now;
    const expiresAt = request.expiresAt ?? null;
    if (expiresAt && expiresAt <= effectiveAt) {
      throw new UnprocessableEntityException('expiresAt must be later than effectiveAt.');
    }
    const language = request.language ?? this.config.defaultLanguage;
    const translations = request.translations ?? {};
    if (Object.hasOwn(translations, language)) {
      throw new BadRequestException(
        `translations has "${language}", the declaration's own language, whose texts are headline, summary and measures.`,
      );
    }
    const declaration: NewDeclaration = {
      schemeId: scheme.id,
      levelCode: level.code,
      areaCodes,
      headline: request.headline,
      summary: request.summary,
      measures: request.measures ?? level.measures,
      language,
      translations,
      authority: request.authority,
      sourceUrl: request.sourceUrl ?? null,
      effectiveAt,
      expiresAt,
      origin: request.origin ?? null,
    };
    return { declaration, level, scheme, now };
  }

  /** The event for what a change does to the declaration's areas now, or null when no level changes. */
  private async eventFor(
    tx: Queryable,
    cause: ChangeCause,
    declaration: Declaration,
    before: TimelineEntry[],
    after: TimelineEntry[],
    now: Date,
  ): Promise<NewOutboxEvent | null> {
    const changed = changedAreas(
      declaration.areaCodes,
      declaration.schemeId,
      { entries: before, at: now },
      { entries: after, at: now },
    );
    if (!changed.length) return null;
    const sequences = await this.repository.nextSequences(
      tx,
      declaration.schemeId,
      changed.map((c) => c.areaCode),
    );
    const changes: AreaChange[] = changed.map((c) => ({ ...c, sequence: sequences.get(c.areaCode)! }));
    const eventId = `evt_${uuidv7()}`;
    return {
      eventId,
      declarationId: declaration.id,
      cause,
      dueAt: now,
      payload: buildLevelChangedEvent(eventId, cause, now, declaration, changes),
    };
  }
}

function dueEvent(declarationId: string, cause: ChangeCause, dueAt: Date): NewOutboxEvent {
  return { eventId: `evt_${uuidv7()}`, declarationId, cause, dueAt, payload: null };
}

/** The areas and their countries: a subdivision's level depends on its country's. */
function withCountries(areaCodes: string[]): string[] {
  return [...new Set(areaCodes.flatMap((code) => [code, code.slice(0, 2)]))];
}

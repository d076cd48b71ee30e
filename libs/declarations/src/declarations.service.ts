import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { countryCodeOf, resolveAreaCodes } from '@tocsin/areas';
import { AuditAction, AuditActor, AuditLogRepository } from '@tocsin/audit';
import { AppConfig, Clock } from '@tocsin/config';
import { DATABASE, Database, KeysetWindow, Positioned } from '@tocsin/database';
import { SchemesService } from '@tocsin/schemes';
import { Audience, AudienceRepository } from '@tocsin/subscribers';
import { uuidv7 } from 'uuidv7';
import { ApprovalNotices } from './approval-notices';
import { approvalOnPublish, approvalTiming, cancelNeedsApproval, refusalToDecide } from './approval';
import { changedAreas } from './changed-areas';
import {
  Actor,
  Declaration,
  DeclarationMode,
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
import { EventHandOff } from './event-hand-off';
import { AnnouncedOutboxEvent, NewOutboxEvent, OutboxRepository } from './outbox.repository';

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
  /** Default actual; an exercise or test never changes a level (DESIGN.md §5.4). */
  mode?: DeclarationMode;
  /** An admin skipping the scheme's approval; `urgentReason` is then required. */
  urgent?: boolean;
  urgentReason?: string | null;
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
  mode?: DeclarationMode;
  /** Only what awaits a second key: pending publications and pending cancel requests. */
  awaitingApproval?: boolean;
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
    private readonly audit: AuditLogRepository,
    private readonly notices: ApprovalNotices,
    private readonly handOff: EventHandOff,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  /**
   * Publishes a declaration. Its rows, its audit record and the event of any level it changes now are written
   * in one transaction; a start or expiry still to come is written as an event due then. One its scheme's
   * approval covers waits, announcing nothing, until a second key approves it (see `approve`).
   */
  async publish(request: PublishRequest, actor: Actor): Promise<Declaration> {
    const { declaration, level, now } = await this.prepare(request, actor);
    const id = `dcl_${uuidv7()}`;
    const published: Declaration = {
      ...declaration,
      id,
      status: statusOnPublish(declaration, now),
      level: { code: level.code, rank: level.rank, name: level.name, color: level.color },
      createdAt: now,
      createdBy: actor.name,
      createdByKey: actor.id,
      cancelledAt: null,
      cancelledBy: null,
      cancelReason: null,
      decidedAt: null,
      decidedBy: null,
      rejectReason: null,
      cancelRequest: null,
    };

    const announced = await this.repository.insertInLevelWriteTransaction(
      id,
      declaration,
      actor,
      now,
      async (tx) => {
        const events = published.approval !== 'pending' ? await this.announce(tx, published, now) : [];
        await this.record(
          tx,
          actor,
          published.approval === 'urgent' ? 'declaration.published_urgent' : 'declaration.published',
          id,
          now,
          {
            scheme: published.schemeId,
            level: published.level.code,
            areas: published.areaCodes,
            mode: published.mode,
            approval: published.approval,
            ...(published.urgentReason ? { urgentReason: published.urgentReason } : {}),
          },
        );
        return events;
      },
    );
    this.handOff.handOff(announced);
    if (published.approval === 'pending') this.notices.tell({ declarationId: id, asked: 'publication' });
    return (await this.repository.findById(id, this.clock.now())) ?? published;
  }

  /**
   * Approves what awaits a second key: a pending declaration (it becomes scheduled or active as its times say,
   * and is announced now, as publishing would have) or a pending cancellation (carried out now). The key that
   * asked may not approve it.
   */
  async approve(id: string, actor: Actor): Promise<Declaration> {
    const now = this.clock.now();
    const announced = await this.repository.inLevelWriteTransaction(async (tx) => {
      const declaration = await this.awaitingDecision(tx, id, actor, now);
      if (declaration.approval === 'pending') {
        const timing = approvalTiming(declaration, now);
        if (timing.kind === 'expired') {
          throw new ConflictException(
            `Declaration "${id}" expired while it awaited approval; publish it again if it still applies.`,
          );
        }
        await this.repository.markApproved(tx, id, actor, timing.effectiveAt, now);
        const approved: Declaration = {
          ...declaration,
          approval: 'approved',
          effectiveAt: timing.effectiveAt,
        };
        const events = await this.announce(tx, approved, now);
        await this.record(tx, actor, 'declaration.approved', id, now, {
          requestedBy: declaration.createdBy,
          ...(timing.kind === 'starts-now'
            ? {
                effectiveAt: timing.effectiveAt.toISOString(),
                publishedEffectiveAt: declaration.effectiveAt.toISOString(),
              }
            : {}),
        });
        return events;
      }
      const request = declaration.cancelRequest!;
      const events = await this.cancelNow(tx, declaration, actor, request.reason, now);
      await this.record(tx, actor, 'declaration.cancelled', id, now, {
        reason: request.reason,
        requestedBy: request.requestedBy.name,
        approvedBy: actor.name,
      });
      return events;
    });
    this.handOff.handOff(announced);
    return (await this.repository.findById(id, this.clock.now()))!;
  }

  /**
   * Rejects what awaits a second key: a pending declaration becomes `rejected` and is never announced; a
   * pending cancellation is dropped, the declaration staying as it was.
   */
  async reject(id: string, actor: Actor, reason: string): Promise<Declaration> {
    const now = this.clock.now();
    await this.repository.inLevelWriteTransaction(async (tx) => {
      const declaration = await this.awaitingDecision(tx, id, actor, now);
      if (declaration.approval === 'pending') {
        await this.repository.markRejected(tx, id, actor, reason, now);
        await this.record(tx, actor, 'declaration.rejected', id, now, {
          reason,
          requestedBy: declaration.createdBy,
        });
      } else {
        const request = declaration.cancelRequest!;
        await this.repository.clearCancelRequest(tx, id);
        await this.record(tx, actor, 'declaration.rejected', id, now, {
          reason,
          cancelRequest: { requestedBy: request.requestedBy.name, reason: request.reason },
        });
      }
    });
    return (await this.repository.findById(id, this.clock.now()))!;
  }

  /** The declaration, locked by the level-write lock, if something of it awaits `actor`'s decision. */
  private async awaitingDecision(tx: Queryable, id: string, actor: Actor, now: Date): Promise<Declaration> {
    const declaration = await this.repository.findById(id, now, tx);
    if (!declaration) throw new NotFoundException(`There is no declaration "${id}".`);
    const publication = declaration.approval === 'pending' && declaration.cancelledAt === null;
    const cancellation =
      !publication && declaration.cancelRequest !== null && declaration.cancelledAt === null;
    if (!publication && !cancellation) {
      throw new ConflictException(
        `Nothing of declaration "${id}" awaits approval (it is ${declaration.status}).`,
      );
    }
    const askedBy = publication
      ? { id: declaration.createdByKey ?? '' }
      : declaration.cancelRequest!.requestedBy;
    const refusal = refusalToDecide(askedBy, actor);
    if (refusal) throw new ForbiddenException(refusal);
    return declaration;
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
      // Trips are held to the instant the change takes effect, as the fan-out holds them.
      request.effectiveAt ?? this.clock.now(),
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
    const before = await this.repository.timelineOf(this.db, withCountries(areaCodes), scheme.id, undefined, {
      from: now,
    });
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

  /**
   * Cancels a declaration, or, when a publisher cancels one that needed approval, asks for its cancellation
   * (`cancelRequest`), which waits for a second key like publishing did. An admin's cancel (as its urgent
   * publish) and an import's are carried out at once. A pending one is withdrawn at once: it never took effect.
   */
  async cancel(id: string, actor: Actor, reason: string | null): Promise<Declaration> {
    // The scheme is read before the transaction: PGlite runs one connection, which the transaction holds.
    const scheme = await this.schemes.find((await this.get(id)).schemeId);
    const now = this.clock.now();
    const { requested, announced } = await this.repository.inLevelWriteTransaction(async (tx) => {
      const declaration = await this.repository.findById(id, now, tx);
      if (!declaration) throw new NotFoundException(`There is no declaration "${id}".`);
      if (
        declaration.status === 'cancelled' ||
        declaration.status === 'expired' ||
        declaration.status === 'superseded' ||
        declaration.status === 'rejected'
      ) {
        throw new ConflictException(
          `Declaration "${id}" is ${declaration.status} and can no longer be cancelled.`,
        );
      }
      if (actor.role === 'publisher' && cancelNeedsApproval(declaration, scheme?.approval)) {
        if (declaration.cancelRequest) {
          throw new ConflictException(
            `The cancellation of declaration "${id}" already awaits approval (asked by ${declaration.cancelRequest.requestedBy.name}).`,
          );
        }
        await this.repository.markCancelRequested(tx, id, actor, reason, now);
        await this.record(tx, actor, 'declaration.cancel_requested', id, now, { reason });
        return { requested: true, announced: [] };
      }
      const events = await this.cancelNow(tx, declaration, actor, reason, now);
      await this.record(tx, actor, 'declaration.cancelled', id, now, {
        reason,
        ...(declaration.approval === 'pending' ? { withdrawn: 'before approval' } : {}),
      });
      return { requested: false, announced: events };
    });
    this.handOff.handOff(announced);
    if (requested) this.notices.tell({ declarationId: id, asked: 'cancellation' });
    return (await this.repository.findById(id, this.clock.now()))!;
  }

  /**
   * Cancels in `tx`: its rows, the event of any level that changes now, and its events not yet due dropped.
   * Answers the events it made due now, to hand on once `tx` commits.
   */
  private async cancelNow(
    tx: Queryable,
    declaration: Declaration,
    actor: Actor,
    reason: string | null,
    now: Date,
  ): Promise<AnnouncedOutboxEvent[]> {
    const before = await this.timelineFor(tx, declaration, now);
    await this.repository.markCancelled(tx, declaration.id, actor, reason, now);
    // An exercise's end returns to the actual levels: it overlays them, it never supersedes them.
    const after =
      (declaration.mode ?? 'actual') === 'actual'
        ? before.map((e) =>
            e.declarationId === declaration.id ? { ...e, cancelledAt: now, cancelledBy: actor.name } : e,
          )
        : before.filter((e) => e.declarationId !== declaration.id);
    const event = await this.eventFor(tx, 'cancelled', declaration, before, after, now);
    await this.outbox.dropNotYetDue(tx, declaration.id, now);
    return this.outbox.append(tx, event ? [event] : []);
  }

  /**
   * Announces a declaration that takes effect (published without approval, or approved): the event of any
   * level it changes now, and events due at a start or expiry still to come. Recording history (a validity
   * wholly in the past) announces nothing. Answers the events it made due now, to hand on once `tx` commits.
   */
  private async announce(
    tx: Queryable,
    declaration: Declaration,
    now: Date,
  ): Promise<AnnouncedOutboxEvent[]> {
    const { id, effectiveAt, expiresAt } = declaration;
    const mode = declaration.mode ?? 'actual';
    const before = await this.timelineFor(tx, declaration, now, id);
    const after = [...before, ...entriesOf(declaration)];
    const events: NewOutboxEvent[] = [];
    const immediate = await this.eventFor(tx, 'declared', declaration, before, after, now);
    if (immediate) events.push(immediate);
    if (effectiveAt > now) events.push(dueEvent(id, 'declared', effectiveAt, mode));
    if (expiresAt && expiresAt > now) events.push(dueEvent(id, 'expired', expiresAt, mode));
    return this.outbox.append(tx, events);
  }

  /**
   * The timeline a change of `declaration` is worked out on: the levels as they are, and the declaration
   * itself if it is an exercise or test (its changes say what it would change, were it actual).
   */
  private timelineFor(
    tx: Queryable,
    declaration: Declaration,
    now: Date,
    excluding?: string,
  ): Promise<TimelineEntry[]> {
    return this.repository.timelineOf(
      tx,
      withCountries(declaration.areaCodes),
      declaration.schemeId,
      (declaration.mode ?? 'actual') === 'actual' ? undefined : declaration.id,
      { from: now, excluding },
    );
  }

  /** Appends the audit record of an act in the act's own transaction. */
  private async record(
    tx: Queryable,
    actor: Actor,
    action: AuditAction,
    declarationId: string,
    at: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.append(
      { at, actor: auditActorOf(actor), action, target: { type: 'declaration', id: declarationId }, details },
      tx,
    );
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
        mode: query.mode,
        awaitingApproval: query.awaitingApproval,
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

  /**
   * Checks a request (areas, scheme, level, validity, urgency) and gives the declaration it describes, in the
   * approval state its scheme asks for. Without an actor (a preview) urgency is not checked.
   */
  private async prepare(request: PublishRequest, actor?: Actor) {
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
    const urgent = request.urgent === true;
    const urgentReason = request.urgentReason?.trim() || null;
    // The role first: a publisher may not publish urgently, whatever its reason.
    if (urgent && actor && actor.role !== 'admin') {
      throw new ForbiddenException('Only an admin key may publish urgently, without approval.');
    }
    if (urgent && !urgentReason)
      throw new BadRequestException('urgentReason is required when urgent is true.');
    if (!urgent && urgentReason)
      throw new BadRequestException('urgentReason is only for an urgent publication.');
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
      mode: request.mode ?? 'actual',
      approval: approvalOnPublish(scheme.approval, level.rank, urgent),
      urgentReason,
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
      mode: declaration.mode ?? 'actual',
    };
  }
}

function dueEvent(
  declarationId: string,
  cause: ChangeCause,
  dueAt: Date,
  mode: DeclarationMode,
): NewOutboxEvent {
  return { eventId: `evt_${uuidv7()}`, declarationId, cause, dueAt, payload: null, mode };
}

/** The status of a declaration just published at `now`. */
function statusOnPublish(declaration: NewDeclaration, now: Date): DeclarationStatus {
  if (declaration.approval === 'pending') return 'pending_approval';
  if (declaration.effectiveAt > now) return 'scheduled';
  return declaration.expiresAt && declaration.expiresAt <= now ? 'expired' : 'active';
}

/** A declaration's entries in its areas' timelines. */
function entriesOf(declaration: Declaration): TimelineEntry[] {
  return declaration.areaCodes.map((areaCode) => ({
    declarationId: declaration.id,
    areaCode,
    schemeId: declaration.schemeId,
    level: declaration.level,
    effectiveAt: declaration.effectiveAt,
    expiresAt: declaration.expiresAt,
    createdAt: declaration.createdAt,
    createdBy: declaration.createdBy,
    cancelledAt: null,
    cancelledBy: null,
  }));
}

/** The audit log's actor: a key with its role, or the system (an import) with none. */
function auditActorOf(actor: Actor): AuditActor {
  return actor.role
    ? { keyId: actor.id, name: actor.name, role: actor.role }
    : { keyId: null, name: actor.name, role: 'system' };
}

/** The areas and their countries: a subdivision's level depends on its country's. */
function withCountries(areaCodes: string[]): string[] {
  return [...new Set(areaCodes.flatMap((code) => [code, code.slice(0, 2)]))];
}

import { Inject, Injectable } from '@nestjs/common';
import {
  compiledStatement,
  DATABASE,
  Database,
  KeysetWindow,
  newestFirst,
  Positioned,
  positioned,
  queryPrepared,
  queryRows,
  textArray,
} from '@tocsin/database';
import { SQL, sql } from 'drizzle-orm';
import {
  Actor,
  ApprovalState,
  Declaration,
  DeclarationMode,
  DeclarationStatus,
  DeclarationOrigin,
  DeclarationTranslations,
  NewDeclaration,
} from './declaration';
import { TimelineEntry } from './effective-level';

/** A transaction or the database: repository methods run in either. */
export type Queryable = Pick<Database, '_' | 'execute' | 'insert' | 'update' | 'delete' | 'select'>;

export interface DeclarationFilter extends KeysetWindow {
  areaCodes?: string[];
  /** Declarations for this country or any of its subdivisions. */
  countryCode?: string;
  status?: DeclarationStatus;
  schemeId?: string;
  mode?: DeclarationMode;
  /** Only those awaiting a second key: a pending publication or a pending cancel request. */
  awaitingApproval?: boolean;
}

/** Which (area, scheme) pairs a timeline query covers. */
export type AreaScope =
  { kind: 'all' } | { kind: 'areas'; codes: string[] } | { kind: 'country'; code: string };

interface TimelineRow {
  declaration_id: string;
  area_code: string;
  scheme_id: string;
  level_code: string;
  rank: number;
  level_name: string;
  color: string | null;
  effective_at: string | Date;
  expires_at: string | Date | null;
  created_at: string | Date;
  created_by_name: string;
  cancelled_at: string | Date | null;
  cancelled_by_name: string | null;
}

interface DeclarationRow {
  id: string;
  status: DeclarationStatus;
  scheme_id: string;
  level_code: string;
  rank: number;
  level_name: string;
  color: string | null;
  area_codes: string[];
  headline: string;
  summary: string;
  measures: string[];
  language: string;
  translations: DeclarationTranslations;
  authority: string;
  source_url: string | null;
  effective_at: string | Date;
  expires_at: string | Date | null;
  created_at: string | Date;
  created_by: string;
  created_by_name: string;
  cancelled_at: string | Date | null;
  cancelled_by_name: string | null;
  cancel_reason: string | null;
  origin: DeclarationOrigin | null;
  mode: DeclarationMode;
  approval: ApprovalState | null;
  decided_at: string | Date | null;
  decided_by: string | null;
  decided_by_name: string | null;
  reject_reason: string | null;
  urgent_reason: string | null;
  cancel_requested_at: string | Date | null;
  cancel_requested_by: string | null;
  cancel_requested_by_name: string | null;
  cancel_request_reason: string | null;
}

/** Serialises every write that changes levels, so two publishers never compute events from the same "before". */
const LEVEL_WRITE_LOCK = 7_401_336_611;

// A declaration cancelled before its start never took effect (see effective-level.ts).
const tookEffect = (d: string) =>
  sql.raw(`(${d}.cancelled_at is null or ${d}.cancelled_at > ${d}.effective_at)`);

// Only these bear on a level (DESIGN.md §5.4): actual, and approved when approval was needed. Pending and
// rejected declarations, exercises and tests never do.
const bearsOnLevels = (d: string) =>
  sql.raw(`(${d}.mode = 'actual' and (${d}.approval is null or ${d}.approval in ('approved', 'urgent')))`);

/** The status of declaration `d` at instant `now`, in SQL, so lists can filter on it. */
function statusAt(now: Date): SQL {
  const horizon = sql`least(${now}::timestamptz, coalesce(d.expires_at, ${now}::timestamptz))`;
  // An exercise or test is superseded only by a later one of its own mode, an actual one by a later actual one.
  return sql`case
    when d.approval = 'rejected' then 'rejected'
    when d.cancelled_at is not null then 'cancelled'
    when d.approval = 'pending' then 'pending_approval'
    when d.effective_at > ${now}::timestamptz then 'scheduled'
    when not exists (
      select 1 from declaration_areas da
      where da.declaration_id = d.id and not exists (
        select 1 from declaration_areas da2 join declarations d2 on d2.id = da2.declaration_id
        where da2.area_code = da.area_code and da2.scheme_id = da.scheme_id and ${tookEffect('d2')}
          and d2.mode = d.mode and (d2.approval is null or d2.approval in ('approved', 'urgent'))
          and d2.effective_at <= ${horizon}
          and (d2.effective_at, d2.created_at, d2.id) > (d.effective_at, d.created_at, d.id)
      )
    ) then 'superseded'
    when d.expires_at <= ${now}::timestamptz then 'expired'
    else 'active' end`;
}

/** The values of INSERT_STATEMENT: JSON and instants as text, so that both drivers take them alike. */
interface InsertValues extends Record<string, unknown> {
  id: string;
  schemeId: string;
  levelCode: string;
  headline: string;
  summary: string;
  measures: string;
  language: string;
  translations: string;
  authority: string;
  sourceUrl: string | null;
  effectiveAt: string;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  createdByName: string;
  origin: string | null;
  mode: DeclarationMode;
  approval: ApprovalState | null;
  urgentReason: string | null;
  areaCodes: string;
}

/**
 * A declaration's row and its areas' in one statement, built once (it ran the query builder at every
 * publish), which also takes the level-write lock. The areas' references are checked at its end.
 */
const INSERT_STATEMENT = compiledStatement<unknown, InsertValues>(() => {
  const value = (name: keyof InsertValues & string) => sql.placeholder(name);
  return sql`
    with declaration as (
      insert into declarations (id, scheme_id, level_code, headline, summary, measures, language, translations,
        authority, source_url, effective_at, expires_at, created_at, created_by, created_by_name, origin, mode,
        approval, urgent_reason)
      values (${value('id')}, ${value('schemeId')}, ${value('levelCode')}, ${value('headline')},
        ${value('summary')}, ${value('measures')}::jsonb, ${value('language')}, ${value('translations')}::jsonb,
        ${value('authority')}, ${value('sourceUrl')}, ${value('effectiveAt')}::timestamptz,
        ${value('expiresAt')}::timestamptz, ${value('createdAt')}::timestamptz, ${value('createdBy')},
        ${value('createdByName')}, ${value('origin')}::jsonb, ${value('mode')}, ${value('approval')},
        ${value('urgentReason')})
    ), areas as (
      insert into declaration_areas (declaration_id, area_code, country_code, scheme_id, effective_at)
      select ${value('id')}, a, left(a, 2), ${value('schemeId')}, ${value('effectiveAt')}::timestamptz
      from jsonb_array_elements_text(${value('areaCodes')}::jsonb) a
    )
    select pg_advisory_xact_lock(${sql.raw(String(LEVEL_WRITE_LOCK))})`;
});

@Injectable()
export class DeclarationsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Runs `work` in one transaction that holds the level-write lock. */
  inLevelWriteTransaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${LEVEL_WRITE_LOCK})`);
      return work(tx);
    });
  }

  /**
   * Inserts a declaration and runs `work` after it, in one transaction that holds the level-write lock:
   * `inLevelWriteTransaction` with the lock taken by the insert's own statement, one round trip fewer
   * between a POST and its alert.
   */
  insertInLevelWriteTransaction<T>(
    id: string,
    declaration: NewDeclaration,
    actor: Actor,
    now: Date,
    work: (tx: Queryable) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => {
      await this.insert(tx, id, declaration, actor, now);
      return work(tx);
    });
  }

  /**
   * Inserts a declaration with its areas, and takes the level-write lock if `tx` does not hold it yet. The
   * insert reads no levels; a statement after it starts once the lock is held, so it sees what the writer
   * before committed.
   */
  async insert(
    tx: Queryable,
    id: string,
    declaration: NewDeclaration,
    actor: Actor,
    now: Date,
  ): Promise<void> {
    await INSERT_STATEMENT(tx, {
      id,
      schemeId: declaration.schemeId,
      levelCode: declaration.levelCode,
      headline: declaration.headline,
      summary: declaration.summary,
      measures: JSON.stringify(declaration.measures),
      language: declaration.language,
      translations: JSON.stringify(declaration.translations),
      authority: declaration.authority,
      sourceUrl: declaration.sourceUrl,
      effectiveAt: declaration.effectiveAt.toISOString(),
      expiresAt: declaration.expiresAt?.toISOString() ?? null,
      createdAt: now.toISOString(),
      createdBy: actor.id,
      createdByName: actor.name,
      origin: declaration.origin ? JSON.stringify(declaration.origin) : null,
      mode: declaration.mode,
      approval: declaration.approval,
      urgentReason: declaration.urgentReason,
      areaCodes: JSON.stringify(declaration.areaCodes),
    });
  }

  async markCancelled(
    tx: Queryable,
    id: string,
    actor: Actor,
    reason: string | null,
    now: Date,
  ): Promise<void> {
    await tx.execute(sql`
      update declarations set cancelled_at = ${now}, cancelled_by = ${actor.id}, cancelled_by_name = ${actor.name},
        cancel_reason = ${reason}
      where id = ${id}`);
  }

  /**
   * Records a pending declaration's approval; a start that passed while it waited moves to `effectiveAt`
   * (see approvalTiming), in its areas' rows too.
   */
  async markApproved(tx: Queryable, id: string, actor: Actor, effectiveAt: Date, now: Date): Promise<void> {
    await tx.execute(sql`
      update declarations set approval = 'approved', decided_at = ${now}, decided_by = ${actor.id},
        decided_by_name = ${actor.name}, effective_at = ${effectiveAt}
      where id = ${id} and approval = 'pending'`);
    await tx.execute(
      sql`update declaration_areas set effective_at = ${effectiveAt} where declaration_id = ${id}`,
    );
  }

  async markRejected(tx: Queryable, id: string, actor: Actor, reason: string, now: Date): Promise<void> {
    await tx.execute(sql`
      update declarations set approval = 'rejected', decided_at = ${now}, decided_by = ${actor.id},
        decided_by_name = ${actor.name}, reject_reason = ${reason}
      where id = ${id} and approval = 'pending'`);
  }

  async markCancelRequested(
    tx: Queryable,
    id: string,
    actor: Actor,
    reason: string | null,
    now: Date,
  ): Promise<void> {
    await tx.execute(sql`
      update declarations set cancel_requested_at = ${now}, cancel_requested_by = ${actor.id},
        cancel_requested_by_name = ${actor.name}, cancel_request_reason = ${reason}
      where id = ${id} and cancelled_at is null`);
  }

  /** Drops a refused cancel request (the audit log keeps who asked and why). */
  async clearCancelRequest(tx: Queryable, id: string): Promise<void> {
    await tx.execute(sql`
      update declarations set cancel_requested_at = null, cancel_requested_by = null,
        cancel_requested_by_name = null, cancel_request_reason = null
      where id = ${id} and cancelled_at is null`);
  }

  /**
   * Next sequence numbers of the given (area, scheme) pairs, in the order given. One prepared statement
   * however many areas: it runs under the level-write lock, which every publisher waits for.
   */
  async nextSequences(tx: Queryable, schemeId: string, areaCodes: string[]): Promise<Map<string, number>> {
    if (!areaCodes.length) return new Map();
    const rows = await queryPrepared<{ area_code: string; sequence: number }>(
      tx,
      sql`insert into area_sequences (area_code, scheme_id, sequence)
        select distinct a, ${schemeId}, 1 from jsonb_array_elements_text(${JSON.stringify(areaCodes)}::jsonb) a
        on conflict (area_code, scheme_id) do update set sequence = area_sequences.sequence + 1
        returning area_code, sequence`,
    );
    const numbered = new Map(rows.map((row) => [row.area_code, Number(row.sequence)]));
    return new Map(areaCodes.map((areaCode) => [areaCode, numbered.get(areaCode)!]));
  }

  /**
   * Every timeline entry of the given areas in one scheme (for computing a change's before and after) among
   * the declarations that bear on levels, plus those of declaration `alsoId` whatever it is: an exercise's
   * changes are worked out as if it were actual.
   *
   * With `from`, only the entries that can still decide a level at `from` or later: per (area, scheme), the
   * one that started last by then (a newer start supersedes for good, see effective-level.ts) and every one
   * starting after. A publish then reads a few rows however long the area's history, instead of all of it.
   * `excluding` leaves a declaration out before that choice (the one being announced, added by the caller).
   */
  async timelineOf(
    tx: Queryable,
    areaCodes: string[],
    schemeId?: string,
    alsoId?: string,
    window: { from?: Date; excluding?: string } = {},
  ): Promise<TimelineEntry[]> {
    const counted = alsoId ? sql`(${bearsOnLevels('d')} or d.id = ${alsoId})` : bearsOnLevels('d');
    // The areas as one JSON parameter: one text however many, so that a publish's read below is a prepared
    // statement (parsing and planning it took 0.45 ms of the 1.1 it cost, under the level-write lock).
    const where = sql`where da.area_code = any(${textArray(areaCodes)})
      ${schemeId ? sql`and da.scheme_id = ${schemeId}` : sql``} and ${counted}
      ${window.excluding ? sql`and d.id <> ${window.excluding}` : sql``}`;
    if (!window.from) {
      const rows = await queryRows<TimelineRow>(tx, sql`${timelineSelect()} ${where}`);
      return rows.map(toEntry);
    }
    // The order of effective-level.ts's startedLater: latest start, then latest created, then greatest id.
    // `alsoId`'s entries are kept whatever they are, and ranked apart: an exercise overlays the levels.
    const from = window.from;
    const also = alsoId ? sql`d.id = ${alsoId}` : sql`false`;
    const rows = await queryPrepared<TimelineRow>(
      tx,
      sql`select t.* from (
          select ${timelineColumns()}, ${also} as also,
            d.effective_at <= ${from}::timestamptz and ${tookEffect('d')} as started,
            row_number() over (
              partition by da.area_code, da.scheme_id, ${also},
                d.effective_at <= ${from}::timestamptz and ${tookEffect('d')}
              order by d.effective_at desc, d.created_at desc, da.declaration_id desc
            ) as latest
          ${timelineFrom()} ${where}
        ) t
        where t.also or (t.started and t.latest = 1) or t.effective_at > ${from}::timestamptz`,
    );
    return rows.map(toEntry);
  }

  /**
   * The entries that decide the levels at `at` within a scope: per (area, scheme), the declaration that started
   * last by then (which may have ended) and the first one that starts after (for "until"). One statement: each
   * (area, scheme) splits on whether a declaration had started by `at`, and `distinct on` keeps the first of
   * each half, ordered latest start first among the started and earliest start first among the rest.
   */
  async timelineAround(scope: AreaScope, at: Date): Promise<TimelineEntry[]> {
    const where =
      scope.kind === 'all'
        ? sql`true`
        : scope.kind === 'country'
          ? sql`da.country_code = ${scope.code}`
          : sql`da.area_code in (${sql.join(
              scope.codes.map((c) => sql`${c}`),
              sql`, `,
            )})`;
    const rows = await queryRows<TimelineRow>(
      this.db,
      sql`select distinct on (t.area_code, t.scheme_id, t.started) t.* from (
          select ${timelineColumns()}, d.effective_at <= ${at}::timestamptz as started
          ${timelineFrom()}
          where ${where} and ${tookEffect('d')} and ${bearsOnLevels('d')}
        ) t
        order by t.area_code, t.scheme_id, t.started, case when t.started then t.effective_at end desc,
          t.effective_at, t.created_at desc, t.declaration_id desc`,
    );
    return rows.map(toEntry);
  }

  /**
   * How many writes declarations, their areas and scheme levels have had (triggers count them in
   * level_revision), or null should its row be missing: a cached level list is current while this is unchanged.
   */
  async levelRevision(): Promise<number | null> {
    const [row] = await queryPrepared<{ revision: string | number }>(
      this.db,
      sql`select revision from level_revision`,
    );
    return row ? Number(row.revision) : null;
  }

  async findById(id: string, now: Date, tx: Queryable = this.db): Promise<Declaration | null> {
    const [row] = await queryPrepared<DeclarationRow>(tx, sql`${declarationSelect(now)} where d.id = ${id}`);
    return row ? toDeclaration(row) : null;
  }

  /** Newest first; `declarations_created_idx` serves the order and the position. */
  async findMany(filter: DeclarationFilter, now: Date): Promise<Positioned<Declaration>[]> {
    const conditions: SQL[] = [];
    if (filter.schemeId) conditions.push(sql`d.scheme_id = ${filter.schemeId}`);
    if (filter.areaCodes?.length) {
      conditions.push(
        sql`exists (select 1 from declaration_areas fa where fa.declaration_id = d.id and fa.area_code in (${sql.join(
          filter.areaCodes.map((c) => sql`${c}`),
          sql`, `,
        )}))`,
      );
    }
    if (filter.countryCode) {
      conditions.push(
        sql`exists (select 1 from declaration_areas fa where fa.declaration_id = d.id and fa.country_code = ${filter.countryCode})`,
      );
    }
    if (filter.mode) conditions.push(sql`d.mode = ${filter.mode}`);
    // As declarations_pending_approval_idx's predicate, so that index serves it.
    if (filter.awaitingApproval) {
      conditions.push(
        sql`(d.approval = 'pending' or d.cancel_requested_at is not null) and d.cancelled_at is null
          and d.approval is distinct from 'rejected'`,
      );
    }
    if (filter.after) conditions.push(byCreation.after(filter.after));
    const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
    const statusFilter = filter.status ? sql`where x.status = ${filter.status}` : sql``;
    const rows = await queryRows<DeclarationRow & { position_instant: string }>(
      this.db,
      sql`select x.*, ${listed.instant} as position_instant from (${declarationSelect(now)} ${where}) x
        ${statusFilter} order by ${listed.orderBy} limit ${filter.limit}`,
    );
    return rows.map((row) => positioned(toDeclaration(row), row.position_instant));
  }
}

// One order, named in the inner query (the position) and in the outer one (the order and the instant).
const byCreation = newestFirst(sql.raw('d.created_at'), sql.raw('d.id'));
const listed = newestFirst(sql.raw('x.created_at'), sql.raw('x.id'));

function timelineColumns(): SQL {
  return sql`da.declaration_id, da.area_code, da.scheme_id, d.level_code, l.rank, l.name as level_name, l.color,
      d.effective_at, d.expires_at, d.created_at, d.created_by_name, d.cancelled_at, d.cancelled_by_name`;
}

function timelineFrom(): SQL {
  return sql`from declaration_areas da
    join declarations d on d.id = da.declaration_id
    join scheme_levels l on l.scheme_id = d.scheme_id and l.code = d.level_code`;
}

function timelineSelect(): SQL {
  return sql`select ${timelineColumns()} ${timelineFrom()}`;
}

function declarationSelect(now: Date): SQL {
  return sql`select d.id, ${statusAt(now)} as status, d.scheme_id, d.level_code, l.rank, l.name as level_name, l.color,
      (select array_agg(a.area_code order by a.area_code) from declaration_areas a where a.declaration_id = d.id) as area_codes,
      d.headline, d.summary, d.measures, d.language, d.translations, d.authority, d.source_url, d.effective_at, d.expires_at, d.created_at,
      d.created_by, d.created_by_name, d.cancelled_at, d.cancelled_by_name, d.cancel_reason, d.origin,
      d.mode, d.approval, d.decided_at, d.decided_by, d.decided_by_name, d.reject_reason, d.urgent_reason,
      d.cancel_requested_at, d.cancel_requested_by, d.cancel_requested_by_name, d.cancel_request_reason
    from declarations d
    join scheme_levels l on l.scheme_id = d.scheme_id and l.code = d.level_code`;
}

// node-postgres parses timestamptz into Date, PGlite too; raw SQL may still hand back strings.
const toDate = (value: string | Date): Date => (value instanceof Date ? value : new Date(value));
const toNullableDate = (value: string | Date | null): Date | null => (value === null ? null : toDate(value));

function toEntry(row: TimelineRow): TimelineEntry {
  return {
    declarationId: row.declaration_id,
    areaCode: row.area_code,
    schemeId: row.scheme_id,
    level: { code: row.level_code, rank: Number(row.rank), name: row.level_name, color: row.color },
    effectiveAt: toDate(row.effective_at),
    expiresAt: toNullableDate(row.expires_at),
    createdAt: toDate(row.created_at),
    createdBy: row.created_by_name,
    cancelledAt: toNullableDate(row.cancelled_at),
    cancelledBy: row.cancelled_by_name,
  };
}

function toDeclaration(row: DeclarationRow): Declaration {
  return {
    id: row.id,
    status: row.status,
    schemeId: row.scheme_id,
    level: { code: row.level_code, rank: Number(row.rank), name: row.level_name, color: row.color },
    areaCodes: row.area_codes,
    headline: row.headline,
    summary: row.summary,
    measures: row.measures,
    language: row.language,
    translations: row.translations,
    authority: row.authority,
    sourceUrl: row.source_url,
    effectiveAt: toDate(row.effective_at),
    expiresAt: toNullableDate(row.expires_at),
    createdAt: toDate(row.created_at),
    createdBy: row.created_by_name,
    createdByKey: row.created_by,
    cancelledAt: toNullableDate(row.cancelled_at),
    cancelledBy: row.cancelled_by_name,
    cancelReason: row.cancel_reason,
    origin: row.origin ?? null,
    mode: row.mode,
    approval: row.approval,
    decidedAt: toNullableDate(row.decided_at),
    decidedBy: row.decided_by ? { id: row.decided_by, name: row.decided_by_name ?? row.decided_by } : null,
    rejectReason: row.reject_reason,
    urgentReason: row.urgent_reason,
    cancelRequest:
      row.cancel_requested_at && row.cancel_requested_by
        ? {
            requestedAt: toDate(row.cancel_requested_at),
            requestedBy: {
              id: row.cancel_requested_by,
              name: row.cancel_requested_by_name ?? row.cancel_requested_by,
            },
            reason: row.cancel_request_reason,
          }
        : null,
  };
}

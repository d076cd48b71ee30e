import { Inject, Injectable } from '@nestjs/common';
import {
  DATABASE,
  Database,
  KeysetWindow,
  newestFirst,
  Positioned,
  positioned,
  tables,
} from '@tocsin/database';
import { and, eq, getTableColumns, isNull, lt, or, SQL, sql } from 'drizzle-orm';
import { ItemOutcome, SourceItem, StoredSource } from './source';

const { sources, sourceItems } = tables;
type SourceRow = typeof sources.$inferSelect;
type ItemRow = typeof sourceItems.$inferSelect;

const sourcesByCreation = newestFirst(sources.createdAt, sources.id);
const itemsByArrival = newestFirst(sourceItems.receivedAt, sourceItems.id);

export type SourceChanges = Partial<
  Pick<
    StoredSource,
    'name' | 'url' | 'pollSeconds' | 'levelRules' | 'areaMap' | 'defaultAreas' | 'enabled' | 'schemeId'
  >
> & { updatedAt: Date; etag?: string | null; lastModified?: string | null };

/** The database or the transaction of an act: a source's change and its audit entry commit together. */
export type SourcesWriter = Pick<Database, 'insert' | 'update' | 'delete' | 'select'>;

/** What one fetch (or push) found out, for the source's health. */
export interface FetchReport {
  at: Date;
  status: number | null;
  error: string | null;
  /** Validators of a 200 answer; undefined = keep those stored (a 304 or a failure). */
  etag?: string | null;
  lastModified?: string | null;
}

export interface NewItem {
  id: string;
  sourceId: string;
  sender: string | null;
  identifier: string | null;
  sent: string | null;
  outcome: ItemOutcome;
  reason: string | null;
  declarationIds: string[];
  document: string | null;
  receivedAt: Date;
}

export interface Triple {
  sender: string;
  identifier: string;
  sent: string;
}

@Injectable()
export class SourcesRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: SourcesWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }

  async insert(source: StoredSource, tx: SourcesWriter = this.db): Promise<void> {
    await tx.insert(sources).values(toRow(source));
  }

  /** The source as it is, locked until `tx` ends: what an update changes is told from it exactly. */
  async lockById(tx: SourcesWriter, id: string): Promise<StoredSource | null> {
    const [row] = await tx.select().from(sources).where(eq(sources.id, id)).for('update');
    return row ? toSource(row) : null;
  }

  async findById(id: string): Promise<StoredSource | null> {
    const [row] = await this.db.select().from(sources).where(eq(sources.id, id));
    return row ? toSource(row) : null;
  }

  async findByPushKeyHash(hash: string): Promise<StoredSource | null> {
    const [row] = await this.db.select().from(sources).where(eq(sources.pushKeyHash, hash));
    return row ? toSource(row) : null;
  }

  /** Newest first. */
  async findPage(window: KeysetWindow): Promise<Positioned<StoredSource>[]> {
    const rows = await this.db
      .select({ ...getTableColumns(sources), positionInstant: sourcesByCreation.instant })
      .from(sources)
      .where(window.after && sourcesByCreation.after(window.after))
      .orderBy(sourcesByCreation.orderBy)
      .limit(window.limit);
    return rows.map((row) => positioned(toSource(row), row.positionInstant));
  }

  /** Every enabled cap-feed source, for laying out the poll schedule. */
  async findPolled(): Promise<StoredSource[]> {
    const rows = await this.db
      .select()
      .from(sources)
      .where(and(eq(sources.kind, 'cap-feed'), eq(sources.enabled, true)));
    return rows.map(toSource);
  }

  async update(
    id: string,
    changes: SourceChanges,
    tx: SourcesWriter = this.db,
  ): Promise<StoredSource | null> {
    const [row] = await tx.update(sources).set(changes).where(eq(sources.id, id)).returning();
    return row ? toSource(row) : null;
  }

  async delete(id: string, tx: SourcesWriter = this.db): Promise<boolean> {
    const rows = await tx.delete(sources).where(eq(sources.id, id)).returning({ id: sources.id });
    return rows.length > 0;
  }

  /**
   * Takes the source for one poll until `until`, or null when it is not an enabled feed or another poll
   * holds it: two workers never poll one source at once, and a poll that died frees it when its lease ends.
   */
  async claimPoll(id: string, now: Date, until: Date): Promise<StoredSource | null> {
    const [row] = await this.db
      .update(sources)
      .set({ pollingUntil: until })
      .where(
        and(
          eq(sources.id, id),
          eq(sources.kind, 'cap-feed'),
          eq(sources.enabled, true),
          or(isNull(sources.pollingUntil), lt(sources.pollingUntil, now)),
        ),
      )
      .returning();
    return row ? toSource(row) : null;
  }

  /** Writes a fetch's outcome; `release` ends the poll's lease too. */
  async recordFetch(id: string, report: FetchReport, release: boolean): Promise<void> {
    await this.db
      .update(sources)
      .set({
        lastFetchedAt: report.at,
        lastStatus: report.status,
        lastError: report.error,
        ...(report.etag !== undefined ? { etag: report.etag } : {}),
        ...(report.lastModified !== undefined ? { lastModified: report.lastModified } : {}),
        ...(release ? { pollingUntil: null } : {}),
      })
      .where(eq(sources.id, id));
  }

  /**
   * Records a document's first sighting of its (sender, identifier, sent), or returns false when that
   * triple was seen before (by any source): the unique index decides, so two imports racing on one
   * document never both import it.
   */
  async claimItem(item: NewItem): Promise<boolean> {
    const rows = await this.db
      .insert(sourceItems)
      .values(item)
      .onConflictDoNothing({
        target: [sourceItems.sender, sourceItems.identifier, sourceItems.sent],
        where: sql`${sourceItems.outcome} <> 'duplicate'`,
      })
      .returning({ id: sourceItems.id });
    return rows.length > 0;
  }

  /** Records a document (a duplicate or one that never named its triple) and counts it. */
  async insertItem(item: NewItem): Promise<void> {
    await this.db.insert(sourceItems).values(item);
  }

  async settleItem(
    id: string,
    outcome: ItemOutcome,
    reason: string | null,
    declarationIds: string[],
  ): Promise<void> {
    await this.db.update(sourceItems).set({ outcome, reason, declarationIds }).where(eq(sourceItems.id, id));
  }

  /** Adds one document's outcome to its source's counts. */
  async count(sourceId: string, outcome: ItemOutcome): Promise<void> {
    const field = outcome === 'imported' ? 'imported' : outcome === 'duplicate' ? 'duplicates' : 'rejected';
    await this.db
      .update(sources)
      .set({
        counts: sql`jsonb_set(jsonb_set(${sources.counts}, '{seen}',
          to_jsonb(coalesce((${sources.counts}->>'seen')::int, 0) + 1)),
          ${`{${field}}`}::text[], to_jsonb(coalesce((${sources.counts}->>${field})::int, 0) + 1))`,
      })
      .where(eq(sources.id, sourceId));
  }

  /** Newest first. */
  async findItems(sourceId: string, window: KeysetWindow): Promise<Positioned<SourceItem>[]> {
    const conditions: (SQL | undefined)[] = [eq(sourceItems.sourceId, sourceId)];
    if (window.after) conditions.push(itemsByArrival.after(window.after));
    // The document stays out of lists: only origin.xml reads it.
    const columns = {
      id: sourceItems.id,
      sourceId: sourceItems.sourceId,
      sender: sourceItems.sender,
      identifier: sourceItems.identifier,
      sent: sourceItems.sent,
      outcome: sourceItems.outcome,
      reason: sourceItems.reason,
      declarationIds: sourceItems.declarationIds,
      receivedAt: sourceItems.receivedAt,
    };
    const rows = await this.db
      .select({ ...columns, positionInstant: itemsByArrival.instant })
      .from(sourceItems)
      .where(and(...conditions))
      .orderBy(itemsByArrival.orderBy)
      .limit(window.limit);
    return rows.map((row) => positioned(toItem(row), row.positionInstant));
  }

  /**
   * The declarations `sourceId` imported from the documents `triples` name (an Update's or a Cancel's
   * references): a source ends only what it made, whatever sender its documents claim.
   */
  async declarationsFrom(sourceId: string, triples: Triple[]): Promise<string[]> {
    if (!triples.length) return [];
    const rows = await this.db
      .select({ declarationIds: sourceItems.declarationIds })
      .from(sourceItems)
      .where(
        and(
          eq(sourceItems.sourceId, sourceId),
          eq(sourceItems.outcome, 'imported'),
          or(
            ...triples.map((t) =>
              and(
                eq(sourceItems.sender, t.sender),
                eq(sourceItems.identifier, t.identifier),
                eq(sourceItems.sent, t.sent),
              ),
            ),
          ),
        ),
      );
    return [...new Set(rows.flatMap((row) => row.declarationIds))];
  }

  /** The document as received that made `declarationId` (its origin names the triple). */
  async documentOf(triple: Triple, declarationId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ document: sourceItems.document })
      .from(sourceItems)
      .where(
        and(
          eq(sourceItems.sender, triple.sender),
          eq(sourceItems.identifier, triple.identifier),
          eq(sourceItems.sent, triple.sent),
          eq(sourceItems.outcome, 'imported'),
          sql`${declarationId} = any(${sourceItems.declarationIds})`,
        ),
      );
    return row?.document ?? null;
  }
}

function toRow(source: StoredSource): typeof sources.$inferInsert {
  return { ...source };
}

function toSource(row: SourceRow): StoredSource {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as StoredSource['kind'],
    url: row.url,
    pollSeconds: row.pollSeconds,
    schemeId: row.schemeId,
    levelRules: row.levelRules,
    areaMap: row.areaMap,
    defaultAreas: row.defaultAreas,
    enabled: row.enabled,
    lastFetchedAt: row.lastFetchedAt,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    counts: row.counts,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    pushKeyHash: row.pushKeyHash,
    etag: row.etag,
    lastModified: row.lastModified,
  };
}

function toItem(row: Omit<ItemRow, 'document'>): SourceItem {
  return {
    id: row.id,
    sourceId: row.sourceId,
    sender: row.sender,
    identifier: row.identifier,
    sent: row.sent,
    outcome: row.outcome as ItemOutcome,
    reason: row.reason,
    declarationIds: row.declarationIds,
    receivedAt: row.receivedAt,
  };
}

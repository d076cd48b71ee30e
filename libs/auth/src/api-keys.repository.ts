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
import { and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { Role } from './api-key';

const { apiKeys } = tables;
// No index on (created_at, id): a handful of keys, read by admins only.
const byCreation = newestFirst(apiKeys.createdAt, apiKeys.id);

/** The database or the transaction of an act: a key's change and its audit entry commit together. */
export type ApiKeysWriter = Pick<Database, 'insert' | 'update' | 'select'>;

export interface StoredApiKey {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  createdAt: Date;
  createdBy: string | null;
  revokedAt: Date | null;
}

@Injectable()
export class ApiKeysRepository {
  /** Built once: every authenticated request runs it. */
  private readonly activeByHash;

  constructor(@Inject(DATABASE) private readonly db: Database) {
    this.activeByHash = db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, sql.placeholder('keyHash')), isNull(apiKeys.revokedAt)))
      .prepare('tocsin_api_key_by_hash');
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: ApiKeysWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }

  async insert(key: StoredApiKey & { keyHash: string }, tx: ApiKeysWriter = this.db): Promise<void> {
    await tx.insert(apiKeys).values(key);
  }

  /** Inserts unless a key with this hash exists; a revoked bootstrap key stays revoked. */
  async insertIfAbsent(
    key: StoredApiKey & { keyHash: string },
    tx: ApiKeysWriter = this.db,
  ): Promise<boolean> {
    const inserted = await tx.insert(apiKeys).values(key).onConflictDoNothing().returning({ id: apiKeys.id });
    return inserted.length > 0;
  }

  async findActiveByHash(keyHash: string): Promise<StoredApiKey | null> {
    const [row] = await this.activeByHash.execute({ keyHash });
    return row ? toKey(row) : null;
  }

  async hasActiveAdmin(): Promise<boolean> {
    const [row] = await this.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.role, 'admin'), isNull(apiKeys.revokedAt)))
      .limit(1);
    return row !== undefined;
  }

  async findById(id: string): Promise<StoredApiKey | null> {
    const [row] = await this.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return row ? toKey(row) : null;
  }

  /** Newest first; revoked keys included. */
  async findPage(window: KeysetWindow): Promise<Positioned<StoredApiKey>[]> {
    const rows = await this.db
      .select({ ...getTableColumns(apiKeys), positionInstant: byCreation.instant })
      .from(apiKeys)
      .where(window.after && byCreation.after(window.after))
      .orderBy(byCreation.orderBy)
      .limit(window.limit);
    return rows.map((row) => positioned(toKey(row), row.positionInstant));
  }

  async revoke(id: string, at: Date, tx: ApiKeysWriter = this.db): Promise<boolean> {
    const updated = await tx
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return updated.length > 0;
  }
}

function toKey(row: typeof apiKeys.$inferSelect): StoredApiKey {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    keyPrefix: row.keyPrefix,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    revokedAt: row.revokedAt,
  };
}

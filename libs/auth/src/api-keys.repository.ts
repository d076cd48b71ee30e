import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, tables } from '@tocsin/database';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { Role } from './api-key';

const { apiKeys } = tables;

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
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(key: StoredApiKey & { keyHash: string }): Promise<void> {
    await this.db.insert(apiKeys).values(key);
  }

  /** Inserts unless a key with this hash exists; a revoked bootstrap key stays revoked. */
  async insertIfAbsent(key: StoredApiKey & { keyHash: string }): Promise<boolean> {
    const inserted = await this.db
      .insert(apiKeys)
      .values(key)
      .onConflictDoNothing()
      .returning({ id: apiKeys.id });
    return inserted.length > 0;
  }

  async findActiveByHash(keyHash: string): Promise<StoredApiKey | null> {
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
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

  async findPage(limit: number, before?: { createdAt: Date; id: string }): Promise<StoredApiKey[]> {
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(
        before
          ? or(
              lt(apiKeys.createdAt, before.createdAt),
              and(eq(apiKeys.createdAt, before.createdAt), lt(apiKeys.id, before.id)),
            )
          : undefined,
      )
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(limit);
    return rows.map(toKey);
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const updated = await this.db
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

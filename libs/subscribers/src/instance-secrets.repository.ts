import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, tables } from '@tocsin/database';
import { eq, sql } from 'drizzle-orm';

const { instanceSecrets } = tables;

/** Serialises the sealing of plain secrets between processes starting at once (pg_advisory_xact_lock). */
const SEALING_LOCK = 7_401_336_612;

export interface StoredInstanceSecret {
  name: string;
  /** Sealed, or plain text as an older version stored it. */
  value: string;
}

@Injectable()
export class InstanceSecretsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * In one transaction, one process at a time: hands every stored secret to `reseal`, and stores the value
   * it returns for each one it returns one for. Whatever `reseal` throws rolls it all back.
   */
  async resealAll(reseal: (secret: StoredInstanceSecret) => string | null): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEALING_LOCK})`);
      const stored = await tx
        .select({ name: instanceSecrets.name, value: instanceSecrets.value })
        .from(instanceSecrets);
      let changed = 0;
      for (const secret of stored) {
        const value = reseal(secret);
        if (value === null) continue;
        await tx.update(instanceSecrets).set({ value }).where(eq(instanceSecrets.name, secret.name));
        changed++;
      }
      return changed;
    });
  }

  /** Stores `value` under `name` unless a secret of that name exists; returns the one stored. */
  async insertOrGet(name: string, value: string): Promise<StoredInstanceSecret> {
    await this.db.insert(instanceSecrets).values({ name, value }).onConflictDoNothing();
    const [row] = await this.db
      .select({ name: instanceSecrets.name, value: instanceSecrets.value })
      .from(instanceSecrets)
      .where(eq(instanceSecrets.name, name));
    return row;
  }
}

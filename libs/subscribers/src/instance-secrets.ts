import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { isSealed, SecretBox } from '@tocsin/config';
import { DATABASE, Database, tables } from '@tocsin/database';
import { eq, sql } from 'drizzle-orm';

/** Serialises the sealing of plain secrets between processes starting at once (pg_advisory_xact_lock). */
const SEALING_LOCK = 7_401_336_612;

/**
 * Secrets this installation makes for itself on first use and keeps in its database, so that several API
 * processes agree on them without configuration (e.g. the key of the HMACs in email links). Stored sealed
 * with the installation's key and bound to their name.
 */
@Injectable()
export class InstanceSecrets implements OnModuleInit {
  private readonly logger = new Logger(InstanceSecrets.name);
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly box: SecretBox,
  ) {}

  /**
   * At start, in one transaction: opens every sealed secret, so that a wrong key stops start-up with one line
   * (and seals nothing) instead of breaking every link later; then seals what an older version kept in plain
   * text.
   */
  async onModuleInit(): Promise<void> {
    const { instanceSecrets } = tables;
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEALING_LOCK})`);
      const stored = await tx.select().from(instanceSecrets);
      for (const row of stored) if (isSealed(row.value)) this.box.open(row.value, row.name);
      const plain = stored.filter((row) => !isSealed(row.value));
      for (const row of plain) {
        await tx
          .update(instanceSecrets)
          .set({ value: this.box.seal(row.value, row.name) })
          .where(eq(instanceSecrets.name, row.name));
      }
      if (plain.length) this.logger.log(`sealed ${plain.length} plain-text instance secrets`);
    });
  }

  get(name: string): Promise<string> {
    let secret = this.cache.get(name);
    if (!secret) {
      secret = this.load(name);
      secret.catch(() => this.cache.delete(name));
      this.cache.set(name, secret);
    }
    return secret;
  }

  private async load(name: string): Promise<string> {
    const { instanceSecrets } = tables;
    await this.db
      .insert(instanceSecrets)
      .values({ name, value: this.box.seal(randomBytes(32).toString('base64url'), name) })
      .onConflictDoNothing();
    const [row] = await this.db.select().from(instanceSecrets).where(eq(instanceSecrets.name, name));
    return this.box.open(row.value, row.name);
  }
}

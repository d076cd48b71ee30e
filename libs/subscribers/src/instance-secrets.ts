import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, tables } from '@tocsin/database';
import { eq } from 'drizzle-orm';

/**
 * Secrets this installation makes for itself on first use and keeps in its database, so that several API
 * processes agree on them without configuration (e.g. the key of the HMACs in email links).
 */
@Injectable()
export class InstanceSecrets {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

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
      .values({ name, value: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    const [row] = await this.db.select().from(instanceSecrets).where(eq(instanceSecrets.name, name));
    return row.value;
  }
}

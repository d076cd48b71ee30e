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
import { filterColumns, filterOfColumns } from '@tocsin/subscribers';
import { and, asc, eq, getTableColumns, gt, like, notLike, or, SQL, sql } from 'drizzle-orm';
import { StoredWebhookEndpoint, WebhookFormat } from './webhook-endpoint';
import { isSealed, SEALED_PREFIX } from '@tocsin/config';

const { webhookEndpoints } = tables;

/** What an update may change; `updatedAt` always. */
export type WebhookEndpointChanges = Partial<
  Pick<
    StoredWebhookEndpoint,
    | 'url'
    | 'description'
    | 'contactEmail'
    | 'filter'
    | 'exercises'
    | 'enabled'
    | 'disabledReason'
    | 'format'
    | 'telegramChatId'
  >
> & { updatedAt: Date };

/** The database or the transaction of an act: an endpoint's change and its audit entry commit together. */
export type WebhookEndpointsWriter = Pick<Database, 'insert' | 'update' | 'delete' | 'select'>;

export interface WebhookEndpointPageQuery extends KeysetWindow {
  /** Only endpoints of this key; undefined = every owner. */
  ownedBy?: string;
}

// (owner_key_id, created_at) serves one owner's list; the list of every owner's (admins) has no index
// on (created_at, id).
const byCreation = newestFirst(webhookEndpoints.createdAt, webhookEndpoints.id);

/**
 * Every query takes `ownedBy`: when given, a row of another owner is as good as absent, so the caller
 * cannot tell "not yours" from "not there".
 */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Runs `work` in one transaction. */
  transaction<T>(work: (tx: WebhookEndpointsWriter) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(tx));
  }

  async insert(endpoint: StoredWebhookEndpoint, tx: WebhookEndpointsWriter = this.db): Promise<void> {
    await tx.insert(webhookEndpoints).values(toRow(endpoint));
  }

  /** The endpoint as it is, locked until `tx` ends: what an update changes is told from it exactly. */
  async lockById(
    tx: WebhookEndpointsWriter,
    id: string,
    ownedBy?: string,
  ): Promise<StoredWebhookEndpoint | null> {
    const [row] = await tx.select().from(webhookEndpoints).where(byId(id, ownedBy)).for('update');
    return row ? toEndpoint(row) : null;
  }

  async findById(id: string, ownedBy?: string): Promise<StoredWebhookEndpoint | null> {
    const [row] = await this.db.select().from(webhookEndpoints).where(byId(id, ownedBy));
    return row ? toEndpoint(row) : null;
  }

  /** Newest first. */
  async findPage(query: WebhookEndpointPageQuery): Promise<Positioned<StoredWebhookEndpoint>[]> {
    const { after, ownedBy } = query;
    const rows = await this.db
      .select({ ...getTableColumns(webhookEndpoints), positionInstant: byCreation.instant })
      .from(webhookEndpoints)
      .where(
        and(
          ownedBy === undefined ? undefined : eq(webhookEndpoints.ownerKeyId, ownedBy),
          after && byCreation.after(after),
        ),
      )
      .orderBy(byCreation.orderBy)
      .limit(query.limit);
    return rows.map((row) => positioned(toEndpoint(row), row.positionInstant));
  }

  async update(
    id: string,
    changes: WebhookEndpointChanges,
    ownedBy?: string,
    tx: WebhookEndpointsWriter = this.db,
  ): Promise<StoredWebhookEndpoint | null> {
    const { filter, ...rest } = changes;
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ ...rest, ...(filter ? filterColumns(filter) : {}) })
      .where(byId(id, ownedBy))
      .returning();
    return row ? toEndpoint(row) : null;
  }

  /**
   * Disables the endpoint if it is still enabled, in one statement: of two callers at once (two failing
   * batches), PostgreSQL lets the second re-check `enabled` after the first committed, so only the one that
   * disabled it gets it back. Null when it was already disabled, or is gone.
   */
  async disable(
    id: string,
    reason: string,
    at: Date,
    tx: WebhookEndpointsWriter = this.db,
  ): Promise<StoredWebhookEndpoint | null> {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, updatedAt: at })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.enabled, true)))
      .returning();
    return row ? toEndpoint(row) : null;
  }

  /**
   * Makes `secret` the signing secret. With `previousSecretExpiresAt`, the secret it replaces keeps signing
   * until then (a rotation during another's grace period drops the older one); without, it is gone at once.
   * One statement, so two rotations at once cannot lose a secret that was handed out.
   */
  async rotateSecret(
    id: string,
    secret: string,
    previousSecretExpiresAt: Date | null,
    at: Date,
    ownedBy?: string,
    tx: WebhookEndpointsWriter = this.db,
  ): Promise<StoredWebhookEndpoint | null> {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        secret,
        previousSecret: previousSecretExpiresAt ? sql`${webhookEndpoints.secret}` : null,
        previousSecretExpiresAt,
        updatedAt: at,
      })
      .where(byId(id, ownedBy))
      .returning();
    return row ? toEndpoint(row) : null;
  }

  async delete(id: string, ownedBy?: string, tx: WebhookEndpointsWriter = this.db): Promise<boolean> {
    const deleted = await tx
      .delete(webhookEndpoints)
      .where(byId(id, ownedBy))
      .returning({ id: webhookEndpoints.id });
    return deleted.length > 0;
  }

  /**
   * Seals every secret still stored in plain text (by a version before sealing, or by hand), in one
   * transaction; returns how many endpoints it changed. Processes starting at once take turns, and the
   * later ones find nothing left to seal.
   */
  async sealPlainSecrets(seal: (endpointId: string, secret: string) => string): Promise<number> {
    const sealedLike = `${SEALED_PREFIX}%`;
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEALING_LOCK})`);
      let sealed = 0;
      let after = '';
      for (;;) {
        const rows = await tx
          .select({
            id: webhookEndpoints.id,
            secret: webhookEndpoints.secret,
            previousSecret: webhookEndpoints.previousSecret,
          })
          .from(webhookEndpoints)
          .where(
            and(
              gt(webhookEndpoints.id, after),
              or(
                notLike(webhookEndpoints.secret, sealedLike),
                notLike(webhookEndpoints.previousSecret, sealedLike),
              ),
            ),
          )
          .orderBy(asc(webhookEndpoints.id))
          .limit(SEALING_PAGE);
        if (!rows.length) return sealed;
        const values = rows.map((row) => ({
          id: row.id,
          secret: isSealed(row.secret) ? row.secret : seal(row.id, row.secret),
          previous_secret:
            row.previousSecret === null || isSealed(row.previousSecret)
              ? row.previousSecret
              : seal(row.id, row.previousSecret),
        }));
        await tx.execute(sql`
          update webhook_endpoints w set secret = v.secret, previous_secret = v.previous_secret
          from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id text, secret text, previous_secret text)
          where w.id = v.id`);
        sealed += rows.length;
        after = rows[rows.length - 1].id;
      }
    });
  }

  /** One endpoint's sealed secret, to check at start that the key opens what is stored. */
  async anySealedSecret(): Promise<{ id: string; secret: string } | null> {
    const [row] = await this.db
      .select({ id: webhookEndpoints.id, secret: webhookEndpoints.secret })
      .from(webhookEndpoints)
      .where(like(webhookEndpoints.secret, `${SEALED_PREFIX}%`))
      .limit(1);
    return row ?? null;
  }
}

/** Serialises the sealing of plain secrets between processes starting at once (pg_advisory_xact_lock). */
const SEALING_LOCK = 7_401_336_611;
const SEALING_PAGE = 1000;

function byId(id: string, ownedBy: string | undefined): SQL | undefined {
  return and(
    eq(webhookEndpoints.id, id),
    ownedBy === undefined ? undefined : eq(webhookEndpoints.ownerKeyId, ownedBy),
  );
}

function toRow(endpoint: StoredWebhookEndpoint): typeof webhookEndpoints.$inferInsert {
  const { filter, ...rest } = endpoint;
  return { ...rest, ...filterColumns(filter) };
}

function toEndpoint(row: typeof webhookEndpoints.$inferSelect): StoredWebhookEndpoint {
  return {
    id: row.id,
    ownerKeyId: row.ownerKeyId,
    url: row.url,
    description: row.description,
    contactEmail: row.contactEmail,
    filter: filterOfColumns(row),
    exercises: row.exercises,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    // The API lets only the known formats in; a row changed by hand is refused at delivery, not here.
    format: row.format as WebhookFormat,
    telegramChatId: row.telegramChatId,
    secret: row.secret,
    previousSecret: row.previousSecret,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

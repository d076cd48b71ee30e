import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, KeysetWindow, newestFirst, Positioned, tables } from '@tocsin/database';
import { and, desc, eq, gte, isNull, lt, SQL } from 'drizzle-orm';
import { AuditAction, AuditEntry, AuditTargetType, NewAuditEntry } from './audit-entry';

const { auditLog } = tables;
// Only for the instant a position carries: the order and the cursor's condition are the id's alone.
const byAt = newestFirst(auditLog.at, auditLog.id);

/** Anything that can insert: the database, or the transaction of the act being recorded. */
export type AuditWriter = Pick<Database, 'insert'>;

/** Which entries a page asks for; every filter is optional, and they all hold at once. */
export interface AuditQuery extends KeysetWindow {
  /** The acting key; null = the system's own acts. */
  actorKeyId?: string | null;
  action?: AuditAction;
  /** At or after this instant. */
  since?: Date;
  targetType?: AuditTargetType;
  targetId?: string;
}

/** Ids are increasing integers; a cursor's id is one of them written out (AuditService checks it). */
export const AUDIT_ID = /^[1-9][0-9]{0,14}$/;

/** The only code that touches `audit_log`; it appends and reads, the database refuses the rest. */
@Injectable()
export class AuditLogRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Appends `entry`; pass the transaction of the act so that the act and its record commit or fail together.
   */
  async append(entry: NewAuditEntry, writer: AuditWriter = this.db): Promise<void> {
    await writer.insert(auditLog).values({
      at: entry.at,
      actorKeyId: entry.actor.keyId,
      actorName: entry.actor.name,
      actorRole: entry.actor.role,
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id,
      details: entry.details ?? {},
    });
  }

  /**
   * Newest first, which is descending id: the id is given at insert, so it never ties, and (actor, id) and
   * (action, id) serve a filtered page in one index scan. `window.after.id` must match AUDIT_ID.
   */
  async findPage(query: AuditQuery): Promise<Positioned<AuditEntry>[]> {
    const conditions: (SQL | undefined)[] = [
      query.actorKeyId === null
        ? isNull(auditLog.actorKeyId)
        : query.actorKeyId !== undefined
          ? eq(auditLog.actorKeyId, query.actorKeyId)
          : undefined,
      query.action !== undefined ? eq(auditLog.action, query.action) : undefined,
      query.since !== undefined ? gte(auditLog.at, query.since) : undefined,
      query.targetType !== undefined ? eq(auditLog.targetType, query.targetType) : undefined,
      query.targetId !== undefined ? eq(auditLog.targetId, query.targetId) : undefined,
      query.after ? lt(auditLog.id, Number(query.after.id)) : undefined,
    ];
    const rows = await this.db
      .select({ row: auditLog, positionInstant: byAt.instant })
      .from(auditLog)
      .where(and(...conditions))
      .orderBy(desc(auditLog.id))
      .limit(query.limit);
    return rows.map(({ row, positionInstant }) => ({
      ...toEntry(row),
      position: { instant: positionInstant, id: String(row.id) },
    }));
  }
}

function toEntry(row: typeof auditLog.$inferSelect): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: { keyId: row.actorKeyId, name: row.actorName, role: row.actorRole },
    action: row.action as AuditAction,
    target: { type: row.targetType as AuditTargetType, id: row.targetId },
    details: row.details,
  };
}

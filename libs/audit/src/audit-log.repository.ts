import { Inject, Injectable } from '@nestjs/common';
import { DATABASE, Database, tables } from '@tocsin/database';
import { NewAuditEntry } from './audit-entry';

const { auditLog } = tables;

/** Anything that can insert: the database, or the transaction of the act being recorded. */
export type AuditWriter = Pick<Database, 'insert'>;

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
}

import { BadRequestException, Injectable } from '@nestjs/common';
import { Positioned } from '@tocsin/database';
import { AuditEntry } from './audit-entry';
import { AUDIT_ID, AuditLogRepository, AuditQuery } from './audit-log.repository';

/** Reading the audit log; each capability appends its own acts through AuditLogRepository, in its transaction. */
@Injectable()
export class AuditService {
  constructor(private readonly repository: AuditLogRepository) {}

  /** Newest first. A cursor of another list (its id no audit id) is a 400, never a 500 from the database. */
  list(query: AuditQuery): Promise<Positioned<AuditEntry>[]> {
    if (query.after && !AUDIT_ID.test(query.after.id)) {
      throw new BadRequestException(
        'The cursor is not one this list handed out; use the nextCursor of the previous page.',
      );
    }
    return this.repository.findPage(query);
  }
}

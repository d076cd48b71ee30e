export { AUDIT_CSV_COLUMNS, renderAuditCsv } from './audit-csv';
export { changedFields } from './audit-details';
export {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  AuditAction,
  AuditActor,
  AuditEntry,
  AuditTargetType,
  NewAuditEntry,
  SYSTEM_ACTOR,
} from './audit-entry';
export { AuditLogRepository, AuditQuery, AuditWriter } from './audit-log.repository';
export { AuditModule } from './audit.module';
export { AuditService } from './audit.service';

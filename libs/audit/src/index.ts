export {
  AUDIT_ACTIONS,
  AUDIT_TARGET_TYPES,
  AuditAction,
  AuditActor,
  AuditEntry,
  AuditTargetType,
  NewAuditEntry,
} from './audit-entry';
export { AuditLogRepository, AuditWriter } from './audit-log.repository';
export { AuditModule } from './audit.module';

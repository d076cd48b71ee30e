import { Global, Module } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';

/** Global: every capability that performs a privileged act records it. */
@Global()
@Module({ providers: [AuditLogRepository], exports: [AuditLogRepository] })
export class AuditModule {}

import { Global, Module } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';
import { AuditService } from './audit.service';

/** Global: every capability that performs a privileged act records it. */
@Global()
@Module({ providers: [AuditLogRepository, AuditService], exports: [AuditLogRepository, AuditService] })
export class AuditModule {}

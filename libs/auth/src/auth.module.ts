import { Module } from '@nestjs/common';
import { AuditModule } from '@tocsin/audit';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';

@Module({
  imports: [AuditModule],
  providers: [ApiKeysRepository, ApiKeysService, AuthGuard],
  exports: [ApiKeysService, AuthGuard],
})
export class AuthModule {}

import { Module } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';

@Module({ providers: [ApiKeysRepository, ApiKeysService, AuthGuard], exports: [ApiKeysService, AuthGuard] })
export class AuthModule {}

export { Role, ROLES } from './api-key';
export { StoredApiKey } from './api-keys.repository';
export { ApiKeysService, Principal } from './api-keys.service';
export { AuthGuard, Caller, callerOrNull, RequireRole } from './auth.guard';
export { AuthModule } from './auth.module';

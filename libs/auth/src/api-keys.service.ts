import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { AuditActor, AuditLogRepository, NewAuditEntry, SYSTEM_ACTOR } from '@tocsin/audit';
import { AppConfig, Clock } from '@tocsin/config';
import { KeysetWindow, Positioned } from '@tocsin/database';
import { uuidv7 } from 'uuidv7';
import { apiKeyPrefix, generateApiKey, hashApiKey, looksLikeApiKey, Role } from './api-key';
import { ApiKeysRepository, StoredApiKey } from './api-keys.repository';

/** The caller a request was authenticated as. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

@Injectable()
export class ApiKeysService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeysService.name);

  constructor(
    private readonly repository: ApiKeysRepository,
    private readonly audit: AuditLogRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Gives a fresh install its first admin: the key in ADMIN_API_KEY, or, when that is unset and there is no
   * admin yet, a new key written to a file in DATA_DIR that only this user can read (never to the log).
   */
  async onModuleInit(): Promise<void> {
    const key = this.config.adminApiKey ?? (await this.firstAdminKeyFile());
    if (!key) return;
    const stored: StoredApiKey = {
      id: `key_${uuidv7()}`,
      name: this.config.adminApiKey ? 'bootstrap admin (ADMIN_API_KEY)' : 'first admin',
      role: 'admin',
      keyPrefix: apiKeyPrefix(key),
      createdAt: this.clock.now(),
      createdBy: null,
      revokedAt: null,
    };
    const inserted = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.insertIfAbsent({ ...stored, keyHash: hashApiKey(key) }, tx))) return false;
      await this.audit.append(keyCreated(stored, SYSTEM_ACTOR), tx);
      return true;
    });
    if (inserted && this.config.adminApiKey) this.logger.log('registered the admin key from ADMIN_API_KEY');
  }

  private async firstAdminKeyFile(): Promise<string | null> {
    if (await this.repository.hasActiveAdmin()) return null;
    const key = generateApiKey();
    const path = join(resolve(this.config.dataDir), 'admin-api-key');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${key}\n`, { mode: 0o600 });
    this.logger.warn(
      `no admin API key existed: created one in ${path}; store it elsewhere and delete the file`,
    );
    return key;
  }

  /** Creates a key; the plain key is in the answer once and never stored. */
  async create(name: string, role: Role, createdBy: Principal): Promise<StoredApiKey & { key: string }> {
    const key = generateApiKey();
    const stored: StoredApiKey = {
      id: `key_${uuidv7()}`,
      name,
      role,
      keyPrefix: apiKeyPrefix(key),
      createdAt: this.clock.now(),
      createdBy: createdBy.keyId,
      revokedAt: null,
    };
    await this.repository.transaction(async (tx) => {
      await this.repository.insert({ ...stored, keyHash: hashApiKey(key) }, tx);
      await this.audit.append(keyCreated(stored, createdBy), tx);
    });
    return { ...stored, key };
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (!looksLikeApiKey(key)) return null;
    const stored = await this.repository.findActiveByHash(hashApiKey(key));
    return stored ? { keyId: stored.id, name: stored.name, role: stored.role } : null;
  }

  list(window: KeysetWindow): Promise<Positioned<StoredApiKey>[]> {
    return this.repository.findPage(window);
  }

  /** Revokes the key; only the call that revoked it is audited (revoking twice is no second act). */
  async revoke(id: string, actor: Principal): Promise<void> {
    const at = this.clock.now();
    const revoked = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.revoke(id, at, tx))) return false;
      await this.audit.append(
        { at, actor, action: 'api_key.revoked', target: { type: 'api_key', id }, details: {} },
        tx,
      );
      return true;
    });
    if (revoked) return;
    const key = await this.repository.findById(id);
    if (!key) throw new NotFoundException(`There is no API key "${id}".`);
    // Revoking twice is fine: the key is revoked either way.
  }
}

/** A key's creation as the audit log keeps it: its name and role, never the key or its hash. */
function keyCreated(key: StoredApiKey, actor: AuditActor): NewAuditEntry {
  return {
    at: key.createdAt,
    actor,
    action: 'api_key.created',
    target: { type: 'api_key', id: key.id },
    details: { name: key.name, role: key.role },
  };
}

import { Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { AppConfig, Clock } from '@tocsin/config';
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
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Registers ADMIN_API_KEY, so a fresh install has a first admin. */
  async onModuleInit(): Promise<void> {
    const key = this.config.adminApiKey;
    if (!key) return;
    const inserted = await this.repository.insertIfAbsent({
      id: `key_${uuidv7()}`,
      name: 'bootstrap admin (ADMIN_API_KEY)',
      role: 'admin',
      keyHash: hashApiKey(key),
      keyPrefix: apiKeyPrefix(key),
      createdAt: this.clock.now(),
      createdBy: null,
      revokedAt: null,
    });
    if (inserted) this.logger.log('registered the admin key from ADMIN_API_KEY');
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
    await this.repository.insert({ ...stored, keyHash: hashApiKey(key) });
    return { ...stored, key };
  }

  async authenticate(key: string): Promise<Principal | null> {
    if (!looksLikeApiKey(key)) return null;
    const stored = await this.repository.findActiveByHash(hashApiKey(key));
    return stored ? { keyId: stored.id, name: stored.name, role: stored.role } : null;
  }

  list(limit: number, before?: { createdAt: Date; id: string }): Promise<StoredApiKey[]> {
    return this.repository.findPage(limit, before);
  }

  async revoke(id: string): Promise<void> {
    if (await this.repository.revoke(id, this.clock.now())) return;
    const key = await this.repository.findById(id);
    if (!key) throw new NotFoundException(`There is no API key "${id}".`);
    // Revoking twice is fine: the key is revoked either way.
  }
}

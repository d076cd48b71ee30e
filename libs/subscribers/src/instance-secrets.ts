import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { isSealed, SecretBox } from '@tocsin/config';
import { InstanceSecretsRepository } from './instance-secrets.repository';

/**
 * Secrets this installation makes for itself on first use and keeps in its database, so that several API
 * processes agree on them without configuration (e.g. the key of the HMACs in email links). Stored sealed
 * with the installation's key and bound to their name.
 */
@Injectable()
export class InstanceSecrets implements OnModuleInit {
  private readonly logger = new Logger(InstanceSecrets.name);
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly repository: InstanceSecretsRepository,
    private readonly box: SecretBox,
  ) {}

  /**
   * At start, in one transaction: opens every sealed secret, so that a wrong key stops start-up with one line
   * (and seals nothing) instead of breaking every link later; then seals what an older version kept in plain
   * text.
   */
  async onModuleInit(): Promise<void> {
    const sealed = await this.repository.resealAll(({ name, value }) => {
      if (!isSealed(value)) return this.box.seal(value, name);
      this.box.open(value, name);
      return null;
    });
    if (sealed) this.logger.log(`sealed ${sealed} plain-text instance secrets`);
  }

  get(name: string): Promise<string> {
    let secret = this.cache.get(name);
    if (!secret) {
      secret = this.load(name);
      secret.catch(() => this.cache.delete(name));
      this.cache.set(name, secret);
    }
    return secret;
  }

  private async load(name: string): Promise<string> {
    const made = this.box.seal(randomBytes(32).toString('base64url'), name);
    const stored = await this.repository.insertOrGet(name, made);
    return this.box.open(stored.value, stored.name);
  }
}

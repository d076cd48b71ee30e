import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { SecretBox } from '@tocsin/config';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { signingSecrets } from './webhook-signer';

/** What signing needs of an endpoint as stored: its secrets sealed, bound to its id. */
export interface SealedSigningSecrets {
  id: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * Webhook signing secrets at rest: sealed with the installation's key and bound to their endpoint's id (a
 * rotation moves the current one to `previous_secret` of the same row, which still opens).
 */
@Injectable()
export class WebhookSecrets implements OnModuleInit {
  private readonly logger = new Logger(WebhookSecrets.name);

  constructor(
    private readonly box: SecretBox,
    private readonly repository: WebhookEndpointsRepository,
  ) {}

  /**
   * At start: checks that the key opens what is stored, so that a wrong key stops start-up with one line
   * (before sealing anything with it) rather than failing every delivery; then seals the secrets an older
   * version kept in plain text.
   */
  async onModuleInit(): Promise<void> {
    const stored = await this.repository.anySealedSecret();
    if (stored) this.box.open(stored.secret, stored.id);
    const sealed = await this.repository.sealPlainSecrets((id, secret) => this.seal(id, secret));
    if (sealed) this.logger.log(`sealed the plain-text signing secrets of ${sealed} webhook endpoints`);
  }

  seal(endpointId: string, secret: string): string {
    return this.box.seal(secret, endpointId);
  }

  open(endpointId: string, stored: string): string {
    return this.box.open(stored, endpointId);
  }

  /** The secrets `endpoint` signs with at `now` (see `signingSecrets`), opened. */
  signingSecretsOf(endpoint: SealedSigningSecrets, now: Date): string[] {
    return signingSecrets(endpoint, now).map((stored) => this.open(endpoint.id, stored));
  }
}

import { SubscriptionFilter } from '@tocsin/subscribers';

/** A receiver of signed webhooks, as its owner may see it: never its secrets. */
export interface WebhookEndpoint {
  id: string;
  /** The API key that owns it; an integrator sees only its own. */
  ownerKeyId: string;
  url: string;
  description: string | null;
  /** Told by email when deliveries keep failing and the endpoint is disabled. */
  contactEmail: string | null;
  filter: SubscriptionFilter;
  /** Also receives exercises and tests (DESIGN.md §5.4); nobody else does. */
  exercises: boolean;
  enabled: boolean;
  /** Why it is disabled: by its owner, or by deliveries that kept failing. */
  disabledReason: string | null;
  /** `whsec_` and a few characters, to tell the current secret from an old one. */
  secretPrefix: string;
  /** While a rotation's grace period lasts, the previous secret still signs; null otherwise. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint as stored, with the secrets it signs with, sealed (see WebhookSecrets). Stays inside this lib. */
export interface StoredWebhookEndpoint extends Omit<WebhookEndpoint, 'secretPrefix'> {
  secret: string;
  previousSecret: string | null;
}

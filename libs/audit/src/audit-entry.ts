/** Every act the audit log records (DESIGN.md §5.4); a new privileged act gets its name here first. */
export const AUDIT_ACTIONS = [
  'declaration.published',
  'declaration.published_urgent',
  'declaration.approved',
  'declaration.rejected',
  'declaration.cancel_requested',
  'declaration.cancelled',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.secret_rotated',
  'scheme.created',
  'scheme.updated',
  'source.created',
  'source.updated',
  'source.deleted',
  'subscriber.erased',
  'subscriber.suspended',
  'subscriber.resumed',
  'subscriber.ended',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_TARGET_TYPES = [
  'declaration',
  'api_key',
  'webhook',
  'scheme',
  'source',
  'email_subscription',
  'sms_subscription',
] as const;
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number];

/** Who acted: an API key as it was at the time, or the system itself (keyId null, e.g. an import). */
export interface AuditActor {
  keyId: string | null;
  name: string;
  role: string;
}

/** What one act writes; `details` says what changed, never a secret. */
export interface NewAuditEntry {
  at: Date;
  actor: AuditActor;
  action: AuditAction;
  target: { type: AuditTargetType; id: string };
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<NewAuditEntry> {
  id: number;
}

/** The actor of what Tocsin does on its own: the first admin key at start, an endpoint disabled by failures,
 * an email subscription suspended for bounces. */
export const SYSTEM_ACTOR: AuditActor = { keyId: null, name: 'system', role: 'system' };

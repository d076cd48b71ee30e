import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { AuditActor, AuditLogRepository, changedFields, NewAuditEntry, SYSTEM_ACTOR } from '@tocsin/audit';
import { Principal } from '@tocsin/auth';
import { AppConfig, Clock } from '@tocsin/config';
import { KeysetWindow, Positioned } from '@tocsin/database';
import { FilterInput, FilterInputs } from '@tocsin/subscribers';
import { uuidv7 } from 'uuidv7';
import { resolveWebhookHost, WebhookHostUnresolved, WebhookTargetRefused } from './ssrf-guard';
import { chooseFormat, StoredWebhookEndpoint, WebhookEndpoint } from './webhook-endpoint';
import { WebhookEndpointChanges, WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookSecrets } from './webhook-secrets';
import { WebhookSender, WebhookSendResult } from './webhook-sender';
import { generateWebhookSecret, signingSecrets, webhookSecretPrefix } from './webhook-signer';
import { checkWebhookUrl, hostOf, redactWebhookUrl } from './webhook-url';

export interface NewWebhookEndpoint {
  url: string;
  description?: string | null;
  contactEmail?: string | null;
  filter: FilterInput;
  /** Default false. */
  exercises?: boolean;
  /** Default `standard`; `telegram` needs `telegramChatId`. */
  format?: string;
  telegramChatId?: string | null;
}

/** A change to an endpoint; absent fields stay as they are, a null clears an optional one. */
export interface WebhookEndpointChange {
  url?: string;
  description?: string | null;
  contactEmail?: string | null;
  filter?: Partial<FilterInput>;
  exercises?: boolean;
  enabled?: boolean;
  /** Leaving `telegram` clears the chat id. */
  format?: string;
  telegramChatId?: string | null;
}

export interface WebhookEndpointQuery extends KeysetWindow {
  /** Admins only: the endpoints of this key. */
  ownerKeyId?: string;
}

export interface RotatedSecret {
  secret: string;
  /** Until then the old secret signs too; when the rotation had no grace period, the moment it stopped. */
  previousSecretExpiresAt: Date;
}

export interface TestPingOutcome extends WebhookSendResult {
  /** The `webhook-id` the ping carried. */
  webhookId: string;
}

export const DEFAULT_GRACE_PERIOD_SECONDS = 86_400;
export const MAX_GRACE_PERIOD_SECONDS = 7 * 86_400;

/**
 * Webhook endpoints and their secrets. An integrator acts on its own endpoints only: another owner's
 * endpoint answers 404 exactly like a missing one, so ids cannot be probed. An admin acts on all.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly repository: WebhookEndpointsRepository,
    private readonly audit: AuditLogRepository,
    private readonly filters: FilterInputs,
    private readonly sender: WebhookSender,
    private readonly secrets: WebhookSecrets,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Creates an endpoint; its secret is in the answer once and never shown again. */
  async create(input: NewWebhookEndpoint, caller: Principal): Promise<WebhookEndpoint & { secret: string }> {
    const format = acceptFormat(null, input);
    const filter = await this.filters.normalize(input.filter);
    const url = await this.acceptUrl(input.url);
    const now = this.clock.now();
    const id = `whk_${uuidv7()}`;
    const secret = generateWebhookSecret();
    const endpoint: StoredWebhookEndpoint = {
      id,
      ownerKeyId: caller.keyId,
      url,
      description: input.description ?? null,
      contactEmail: input.contactEmail ?? null,
      filter,
      exercises: input.exercises ?? false,
      enabled: true,
      disabledReason: null,
      format: format.format,
      telegramChatId: format.telegramChatId,
      secret: this.secrets.seal(id, secret),
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.repository.transaction(async (tx) => {
      await this.repository.insert(endpoint, tx);
      await this.audit.append(
        entry(caller, 'webhook.created', id, now, { ownerKeyId: endpoint.ownerKeyId, ...audited(endpoint) }),
        tx,
      );
    });
    return { ...this.present(endpoint), secret };
  }

  /** Newest first. */
  async list(query: WebhookEndpointQuery, caller: Principal): Promise<Positioned<WebhookEndpoint>[]> {
    const own = ownedBy(caller);
    if (own !== undefined && query.ownerKeyId !== undefined && query.ownerKeyId !== own) return [];
    const endpoints = await this.repository.findPage({
      ownedBy: own ?? query.ownerKeyId,
      limit: query.limit,
      after: query.after,
    });
    return endpoints.map((e) => ({ ...this.present(e), position: e.position }));
  }

  async get(id: string, caller: Principal): Promise<WebhookEndpoint> {
    return this.present(await this.findVisible(id, caller));
  }

  async update(id: string, change: WebhookEndpointChange, caller: Principal): Promise<WebhookEndpoint> {
    const current = await this.findVisible(id, caller);
    const changes: WebhookEndpointChanges = { updatedAt: this.clock.now() };
    if (change.format !== undefined || change.telegramChatId !== undefined) {
      const chosen = acceptFormat(current, change);
      changes.format = chosen.format;
      changes.telegramChatId = chosen.telegramChatId;
    }
    if (change.url !== undefined && change.url !== current.url)
      changes.url = await this.acceptUrl(change.url);
    if (change.description !== undefined) changes.description = change.description;
    if (change.exercises !== undefined) changes.exercises = change.exercises;
    if (change.contactEmail !== undefined) changes.contactEmail = change.contactEmail;
    const filter = change.filter ?? {};
    if (Object.values(filter).some((value) => value !== undefined)) {
      changes.filter = await this.filters.normalize({
        areas: filter.areas ?? current.filter.areas,
        scheme: filter.scheme !== undefined ? filter.scheme : current.filter.schemeId,
        minRank: filter.minRank !== undefined ? filter.minRank : current.filter.minRank,
        events: filter.events !== undefined ? filter.events : current.filter.events,
      });
    }
    if (change.enabled === true) {
      changes.enabled = true;
      changes.disabledReason = null;
    } else if (change.enabled === false && current.enabled) {
      changes.enabled = false;
      changes.disabledReason = `Disabled through the API by "${caller.name}".`;
    }
    const updated = await this.repository.transaction(async (tx) => {
      const before = await this.repository.lockById(tx, id, ownedBy(caller));
      const after = before && (await this.repository.update(id, changes, ownedBy(caller), tx));
      if (!before || !after) throw notFound(id);
      const changed = changedFields(audited(before), audited(after));
      // A PATCH that changes nothing is no act to record.
      if (Object.keys(changed).length)
        await this.audit.append(entry(caller, 'webhook.updated', id, changes.updatedAt, changed), tx);
      return after;
    });
    return this.present(updated);
  }

  enable(id: string, caller: Principal): Promise<WebhookEndpoint> {
    return this.update(id, { enabled: true }, caller);
  }

  /** Stops deliveries to the endpoint until it is enabled again; its subscription and secrets stay. */
  disable(id: string, caller: Principal): Promise<WebhookEndpoint> {
    return this.update(id, { enabled: false }, caller);
  }

  /**
   * Disables an endpoint on the delivery side's word (410 Gone, days of failures), with no caller to check.
   * One already disabled keeps the reason it was disabled for; a deleted one is left alone. Returns the
   * endpoint when this call disabled it (so its contact is told once, however many batches fail at once),
   * else null.
   */
  async disableForFailures(id: string, reason: string): Promise<WebhookEndpoint | null> {
    const at = this.clock.now();
    const disabled = await this.repository.transaction(async (tx) => {
      const row = await this.repository.disable(id, reason, at, tx);
      if (row) {
        const details = { enabled: false, disabledReason: reason };
        await this.audit.append(entry(SYSTEM_ACTOR, 'webhook.updated', id, at, details), tx);
      }
      return row;
    });
    return disabled ? this.present(disabled) : null;
  }

  async delete(id: string, caller: Principal): Promise<void> {
    await this.repository.transaction(async (tx) => {
      const endpoint = await this.repository.lockById(tx, id, ownedBy(caller));
      if (!endpoint || !(await this.repository.delete(id, ownedBy(caller), tx))) throw notFound(id);
      const details = { ownerKeyId: endpoint.ownerKeyId, url: redactWebhookUrl(endpoint.url) };
      await this.audit.append(entry(caller, 'webhook.deleted', id, this.clock.now(), details), tx);
    });
  }

  /**
   * Replaces the signing secret. For `gracePeriodSeconds` the old one keeps signing too (both signatures
   * are sent), so a receiver can switch over without dropping a message; 0 retires it at once.
   */
  async rotateSecret(id: string, gracePeriodSeconds: number, caller: Principal): Promise<RotatedSecret> {
    const now = this.clock.now();
    const secret = generateWebhookSecret();
    const expiresAt = gracePeriodSeconds > 0 ? new Date(now.getTime() + gracePeriodSeconds * 1000) : null;
    const sealed = this.secrets.seal(id, secret);
    await this.repository.transaction(async (tx) => {
      const rotated = await this.repository.rotateSecret(id, sealed, expiresAt, now, ownedBy(caller), tx);
      if (!rotated) throw notFound(id);
      // When the old secret stops signing, never either secret.
      const details = { previousSecretExpiresAt: (expiresAt ?? now).toISOString() };
      await this.audit.append(entry(caller, 'webhook.secret_rotated', id, now, details), tx);
    });
    return { secret, previousSecretExpiresAt: expiresAt ?? now };
  }

  /** Sends a signed `webhook.test` event now and reports how it went; a failed ping is an outcome, not an error. */
  async sendTestPing(id: string, caller: Principal): Promise<TestPingOutcome> {
    const endpoint = await this.findVisible(id, caller);
    if (!endpoint.enabled) {
      throw new ConflictException(
        `Webhook endpoint "${id}" is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ''}; ` +
          'enable it (PATCH {"enabled": true}) before sending a test.',
      );
    }
    const now = this.clock.now();
    const webhookId = `msg_${uuidv7()}`;
    const body = testPingBody(endpoint, now);
    const result = await this.sender.send({
      url: endpoint.url,
      id: webhookId,
      timestamp: now,
      body,
      secrets: this.secrets.signingSecretsOf(endpoint, now),
    });
    return { webhookId, ...result };
  }

  private async findVisible(id: string, caller: Principal): Promise<StoredWebhookEndpoint> {
    const endpoint = await this.repository.findById(id, ownedBy(caller));
    if (!endpoint) throw notFound(id);
    return endpoint;
  }

  /**
   * The URL as it will be stored, once its shape is right and its host resolves to public addresses only.
   * Deliveries check the addresses again when they connect (see ssrf-guard.ts); this check gives the
   * owner the reason now rather than a failed delivery later.
   */
  private async acceptUrl(input: string): Promise<string> {
    const allowPrivate = this.config.webhookAllowPrivate;
    const check = checkWebhookUrl(input, { allowPrivate });
    if (!check.ok) throw new UnprocessableEntityException(`The webhook URL ${check.reason}.`);
    try {
      await resolveWebhookHost(hostOf(check.url), { allowPrivate });
    } catch (error) {
      if (error instanceof WebhookTargetRefused || error instanceof WebhookHostUnresolved)
        throw new UnprocessableEntityException(`The webhook URL is refused: ${error.message}.`);
      throw error;
    }
    return check.url.toString();
  }

  private present(endpoint: StoredWebhookEndpoint): WebhookEndpoint {
    const now = this.clock.now();
    const graceLasts = signingSecrets(endpoint, now).length > 1;
    return {
      id: endpoint.id,
      ownerKeyId: endpoint.ownerKeyId,
      url: endpoint.url,
      description: endpoint.description,
      contactEmail: endpoint.contactEmail,
      filter: endpoint.filter,
      exercises: endpoint.exercises,
      enabled: endpoint.enabled,
      disabledReason: endpoint.disabledReason,
      format: endpoint.format,
      telegramChatId: endpoint.telegramChatId,
      secretPrefix: webhookSecretPrefix(this.secrets.open(endpoint.id, endpoint.secret)),
      previousSecretExpiresAt: graceLasts ? endpoint.previousSecretExpiresAt : null,
      createdAt: endpoint.createdAt,
      updatedAt: endpoint.updatedAt,
    };
  }
}

/** What the audit log tells of an endpoint, in the API's field names: never its secrets (nor a bot token). */
function audited(endpoint: StoredWebhookEndpoint) {
  return {
    url: redactWebhookUrl(endpoint.url),
    description: endpoint.description,
    contactEmail: endpoint.contactEmail,
    areas: endpoint.filter.areas,
    scheme: endpoint.filter.schemeId,
    minRank: endpoint.filter.minRank,
    events: endpoint.filter.events,
    exercises: endpoint.exercises,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    format: endpoint.format,
    telegramChatId: endpoint.telegramChatId,
  };
}

/** The format and chat an endpoint gets, or a 400 saying why not. */
function acceptFormat(
  current: StoredWebhookEndpoint | null,
  asked: { format?: string; telegramChatId?: string | null },
): { format: StoredWebhookEndpoint['format']; telegramChatId: string | null } {
  const chosen = chooseFormat(current, asked);
  if (!chosen.ok) throw new BadRequestException(`The webhook's ${chosen.reason}.`);
  return chosen;
}

const TEST_MESSAGE = 'A test message from Tocsin: this endpoint receives threat-level alerts.';

/**
 * The test ping in the endpoint's format: a signed `webhook.test` event, or a plain message the chat
 * service shows (it would refuse the event's shape).
 */
function testPingBody(endpoint: StoredWebhookEndpoint, now: Date): string {
  switch (endpoint.format) {
    case 'slack':
      return JSON.stringify({ text: TEST_MESSAGE });
    case 'teams':
      return JSON.stringify({
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: {
              $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
              type: 'AdaptiveCard',
              version: '1.4',
              body: [{ type: 'TextBlock', text: TEST_MESSAGE, wrap: true }],
            },
          },
        ],
      });
    case 'discord':
      return JSON.stringify({ content: TEST_MESSAGE, allowed_mentions: { parse: [] } });
    case 'telegram':
      return JSON.stringify({ chat_id: endpoint.telegramChatId, text: TEST_MESSAGE });
    default:
      return JSON.stringify({
        type: 'webhook.test',
        timestamp: now.toISOString(),
        data: {
          endpointId: endpoint.id,
          message: 'A test event from Tocsin: this endpoint receives signed webhooks.',
        },
      });
  }
}

function entry(
  actor: AuditActor,
  action: NewAuditEntry['action'],
  id: string,
  at: Date,
  details: Record<string, unknown>,
): NewAuditEntry {
  return { at, actor, action, target: { type: 'webhook', id }, details };
}

/** An integrator is confined to its own endpoints; an admin (undefined) to none. */
function ownedBy(caller: Principal): string | undefined {
  return caller.role === 'admin' ? undefined : caller.keyId;
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`There is no webhook endpoint "${id}".`);
}

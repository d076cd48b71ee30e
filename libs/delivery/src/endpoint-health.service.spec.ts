import { loadConfig } from '@tocsin/config';
import { MailMessage, MailTransport } from '@tocsin/mail';
import { WebhookEndpoint, WebhookEndpointsService } from '@tocsin/webhooks';
import { DeliveriesRepository } from './deliveries.repository';
import { DecidedAttempt, EndpointHealthService } from './endpoint-health.service';
import { RetryDecision } from './retry-policy';
import { emailDelivery, StoppedClock, webhookDelivery } from './testing/fakes';

const NOW = new Date('2026-01-04T00:00:00Z');
const HOUR = 3600_000;
const GONE: RetryDecision = { kind: 'gone', reason: 'the receiver answered 410 Gone' };
const FAILED: RetryDecision = { kind: 'failed', reason: 'no success after 8 attempts' };
const RETRY: RetryDecision = { kind: 'retry', delayMs: 5000 };

const endpoint = (id: string, contactEmail: string | null): WebhookEndpoint => ({
  id,
  ownerKeyId: 'key_1',
  url: `https://${id}.example.org/hook`,
  description: null,
  contactEmail,
  filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
  exercises: false,
  format: 'standard',
  telegramChatId: null,
  enabled: false,
  disabledReason: null,
  secretPrefix: 'whsec_abc',
  previousSecretExpiresAt: null,
  createdAt: NOW,
  updatedAt: NOW,
});

describe('EndpointHealthService', () => {
  /** When each endpoint's failures began; absent: it has not failed since its last success. */
  let failingSince: Map<string, Date>;
  let lookups: string[];
  let disabled: [string, string][];
  let mailed: MailMessage[];
  let health: EndpointHealthService;
  let made = 0;
  const attempt = (endpointId: string, decision: RetryDecision): DecidedAttempt => ({
    row: webhookDelivery(`dlv_${++made}`, { id: endpointId }),
    decision,
  });

  beforeEach(() => {
    failingSince = new Map();
    lookups = [];
    disabled = [];
    mailed = [];
    const deliveries = {
      async firstFailureSinceSuccess(endpointId: string) {
        lookups.push(endpointId);
        return failingSince.get(endpointId) ?? null;
      },
    };
    const endpoints = {
      // Like the conditional UPDATE … RETURNING: only the first caller disables it and gets it back.
      async disableForFailures(id: string, reason: string) {
        if (disabled.some(([disabledId]) => disabledId === id)) return null;
        disabled.push([id, reason]);
        return endpoint(id, id === 'whk_quiet' ? null : `ops@${id}.example.org`);
      },
    };
    const mail = {
      async send(message: MailMessage) {
        mailed.push(message);
        return { messageId: 'm', via: 'smtp' };
      },
    };
    health = new EndpointHealthService(
      deliveries as unknown as DeliveriesRepository,
      endpoints as unknown as WebhookEndpointsService,
      mail as unknown as MailTransport,
      loadConfig({ WEBHOOK_DISABLE_AFTER_HOURS: '72', PUBLIC_URL: 'https://tocsin.example' }),
      new StoppedClock(NOW),
    );
  });

  it('disables an endpoint that answered 410 and tells its contact why', async () => {
    await health.review([attempt('whk_gone', GONE)]);

    expect(disabled).toEqual([['whk_gone', 'The receiver answered 410 Gone.']]);
    expect(mailed.map((m) => [m.to, m.subject])).toEqual([
      ['ops@whk_gone.example.org', 'Tocsin disabled your webhook endpoint https://whk_gone.example.org/hook'],
    ]);
  });

  it('disables an endpoint whose every delivery has failed for the whole threshold, not one failing for less', async () => {
    failingSince.set('whk_dead', new Date(NOW.getTime() - 72 * HOUR));
    failingSince.set('whk_flaky', new Date(NOW.getTime() - 71 * HOUR));

    await health.review([attempt('whk_dead', FAILED), attempt('whk_flaky', FAILED)]);

    expect(disabled).toEqual([['whk_dead', 'Every delivery has failed since 2026-01-01T00:00:00.000Z.']]);
  });

  it('looks up each endpoint once however many of its deliveries failed, and not at all for retries or email', async () => {
    await health.review([
      attempt('whk_1', FAILED),
      attempt('whk_1', FAILED),
      attempt('whk_2', RETRY),
      { row: emailDelivery('dlv_email'), decision: FAILED },
    ]);

    expect(lookups).toEqual(['whk_1']);
    expect(disabled).toEqual([]);
  });

  it('tells the contact once when two batches disable the same endpoint, and nobody when there is no contact', async () => {
    await health.review([attempt('whk_gone', GONE)]);
    await health.review([attempt('whk_gone', GONE), attempt('whk_quiet', GONE)]);

    expect(disabled.map(([id]) => id)).toEqual(['whk_gone', 'whk_quiet']);
    expect(mailed.map((m) => m.to)).toEqual(['ops@whk_gone.example.org']);
  });
});

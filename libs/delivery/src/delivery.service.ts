import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { MailError, MailTransport } from '@tocsin/mail';
import { MetricsService } from '@tocsin/metrics';
import { JOB, JobQueues } from '@tocsin/queue';
import { SchemesService, StoredScheme } from '@tocsin/schemes';
import { EmailSubscriptionsService, filterMatches } from '@tocsin/subscribers';
import { WebhookEndpointsService, WebhookSecrets, WebhookSender } from '@tocsin/webhooks';
import { alertEmail } from './alert-email';
import { AttemptOutcome, DeliveriesRepository, DeliveryToSend } from './deliveries.repository';
import { endpointDisabledEmail, failingTooLong } from './endpoint-health';
import { mapLimit } from './map-limit';
import { AttemptResult, decideAfterAttempt, RetryDecision } from './retry-policy';

/** Sends at once within one batch job; the rest of the parallelism comes from several batch jobs. */
const SEND_CONCURRENCY = 100;

/** The scheme of an event, read once per batch. */
type SchemeOf = (id: string) => Promise<StoredScheme>;

interface Attempted {
  row: DeliveryToSend;
  outcome: AttemptOutcome;
  decision: RetryDecision;
}

/**
 * Makes delivery attempts and writes their outcomes back set-wise. The row is the truth: a batch or retry
 * job that finds its rows already done sends nothing.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly webhooks: WebhookSender,
    private readonly webhookSecrets: WebhookSecrets,
    private readonly endpoints: WebhookEndpointsService,
    private readonly mail: MailTransport,
    private readonly subscriptions: EmailSubscriptionsService,
    private readonly schemes: SchemesService,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** First attempts of a batch; deliveries already attempted are left to their retry jobs. */
  deliverBatch(deliveryIds: string[]): Promise<Attempted[]> {
    return this.deliveries.toSend(deliveryIds, 1).then((rows) => this.deliver(rows));
  }

  /** Attempt number `attempt` of one delivery; a stale or duplicate job finds nothing to do. */
  deliverOne(deliveryId: string, attempt: number): Promise<Attempted[]> {
    return this.deliveries.toSend([deliveryId], attempt).then((rows) => this.deliver(rows));
  }

  private async deliver(rows: DeliveryToSend[]): Promise<Attempted[]> {
    const now = this.clock.now();
    const ineligible = rows.filter((r) => !isEligible(r));
    await this.deliveries.markSkipped(
      ineligible.map((r) => r.id),
      'the endpoint is disabled or the subscription no longer confirmed',
      now,
    );
    // A batch is one event's deliveries: its scheme is read once, not once per email.
    const schemes = new Map<string, Promise<StoredScheme>>();
    const schemeOf: SchemeOf = (id) => {
      if (!schemes.has(id)) schemes.set(id, this.schemes.get(id));
      return schemes.get(id)!;
    };
    const attempted = await mapLimit(rows.filter(isEligible), SEND_CONCURRENCY, (row) =>
      this.attempt(row, schemeOf),
    );
    await this.deliveries.record(attempted.map((a) => a.outcome));
    for (const row of ineligible) this.metrics.deliveries.inc({ channel: row.channel, outcome: 'skipped' });
    for (const a of attempted) {
      this.metrics.deliveries.inc({ channel: a.row.channel, outcome: a.decision.kind });
      if (a.outcome.latencyMs !== null)
        this.metrics.deliveryLatency.observe({ channel: a.row.channel }, a.outcome.latencyMs / 1000);
    }

    const retries = attempted.filter((a) => a.decision.kind === 'retry');
    await this.queues.addBulk(
      JOB.deliverOne,
      retries.map((a) => ({ deliveryId: a.row.id, attempt: a.outcome.attempt + 1 })),
      (data) => {
        const decision = retries.find((a) => a.row.id === data.deliveryId)!.decision;
        return decision.kind === 'retry' ? decision.delayMs : 0;
      },
    );
    await this.disableFailingEndpoints(attempted);
    return attempted;
  }

  /**
   * An endpoint that answered 410, or whose every delivery has failed for WEBHOOK_DISABLE_AFTER_HOURS, is
   * disabled, and its contact (if it gave one) is told by email.
   */
  private async disableFailingEndpoints(attempted: Attempted[]): Promise<void> {
    const reasons = new Map<string, string>();
    for (const a of attempted) {
      const endpointId = a.row.webhookEndpointId;
      if (!endpointId || reasons.has(endpointId)) continue;
      if (a.decision.kind === 'gone') reasons.set(endpointId, 'The receiver answered 410 Gone.');
      if (a.decision.kind !== 'failed') continue;
      const since = await this.deliveries.firstFailureSinceSuccess(endpointId);
      if (failingTooLong(since, this.clock.now(), this.config.webhookDisableAfterMs)) {
        reasons.set(endpointId, `Every delivery has failed since ${since!.toISOString()}.`);
      }
    }
    for (const [endpointId, reason] of reasons) {
      const endpoint = await this.endpoints.disableForFailures(endpointId, reason);
      if (!endpoint) continue;
      this.logger.warn(`disabled webhook endpoint ${endpointId}: ${reason}`);
      if (!endpoint.contactEmail) continue;
      await this.mail
        .send({
          to: endpoint.contactEmail,
          ...endpointDisabledEmail(endpoint, reason, this.config.publicUrl),
        })
        .catch((error: Error) =>
          this.logger.error(`could not tell the contact of ${endpointId}: ${describeError(error)}`),
        );
    }
  }

  private async attempt(row: DeliveryToSend, schemeOf: SchemeOf): Promise<Attempted> {
    const attempt = row.attempts + 1;
    const at = this.clock.now();
    const sent =
      row.channel === 'webhook' ? await this.sendWebhook(row, at) : await this.sendEmail(row, schemeOf);
    const decision = decideAfterAttempt(attempt, sent, this.config.webhookRetryScheduleSeconds);
    const status =
      decision.kind === 'delivered' ? 'delivered' : decision.kind === 'retry' ? 'pending' : 'failed';
    return {
      row,
      decision,
      outcome: {
        deliveryId: row.id,
        attempt,
        at,
        ok: sent.ok,
        statusCode: sent.statusCode,
        error:
          decision.kind === 'failed' || decision.kind === 'gone'
            ? `${sent.error ?? 'failed'}; ${decision.reason}`
            : sent.error,
        latencyMs: sent.latencyMs,
        responseExcerpt: sent.responseExcerpt,
        status,
        nextAttemptAt: decision.kind === 'retry' ? new Date(at.getTime() + decision.delayMs) : null,
      },
    };
  }

  private async sendWebhook(row: DeliveryToSend, at: Date) {
    const webhook = row.webhook!;
    return this.webhooks.send({
      url: webhook.url,
      id: row.id,
      timestamp: at,
      body: row.payloadJson,
      secrets: this.webhookSecrets.signingSecretsOf({ id: row.webhookEndpointId!, ...webhook }, at),
    });
  }

  private async sendEmail(
    row: DeliveryToSend,
    schemeOf: SchemeOf,
  ): Promise<AttemptResult & { error: string | null; latencyMs: number; responseExcerpt: string | null }> {
    const subscription = row.email!;
    const started = performance.now();
    const changes = row.payload.data.changes.filter((change) =>
      filterMatches(subscription.filter, {
        areaCode: change.area.code,
        schemeId: change.scheme,
        previousRank: change.previous?.rank ?? null,
        currentRank: change.current?.rank ?? null,
        direction: change.direction,
      }),
    );
    try {
      const scheme = await schemeOf(row.payload.data.declaration.scheme);
      const links = await this.subscriptions.linksFor({
        id: row.emailSubscriptionId!,
        tokenVersion: subscription.tokenVersion,
      });
      const publicUrl = this.config.publicUrl;
      const email = alertEmail({
        event: row.payload,
        changes: changes.length ? changes : row.payload.data.changes,
        schemeEvent: scheme.event,
        deliveryId: row.id,
        declarationUrl: `${publicUrl}/v1/declarations/${row.payload.data.declaration.id}`,
        manageUrl: links.manageUrl,
        unsubscribeUrl: links.unsubscribeUrl,
        messageIdHost: new URL(publicUrl).hostname,
      });
      await this.mail.send({ to: subscription.address, ...email });
      return {
        ok: true,
        statusCode: 250,
        retryAfterSeconds: null,
        error: null,
        latencyMs: elapsed(started),
        responseExcerpt: null,
      };
    } catch (error) {
      const mailError = error instanceof MailError ? error : null;
      return {
        ok: false,
        statusCode: mailError?.responseCode ?? null,
        retryAfterSeconds: null,
        permanent: mailError ? !mailError.transient : false,
        error: (error as Error).message,
        latencyMs: elapsed(started),
        responseExcerpt: null,
      };
    }
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started);

function isEligible(row: DeliveryToSend): boolean {
  if (row.channel === 'webhook') return row.webhook?.enabled === true;
  return row.email?.status === 'confirmed';
}

import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { MailTransport } from '@tocsin/mail';
import { WebhookEndpointsService } from '@tocsin/webhooks';
import { DeliveriesRepository, DeliveryToSend } from './deliveries.repository';
import { endpointDisabledEmail, failingTooLong } from './endpoint-health';
import { RetryDecision } from './retry-policy';

/** A delivery attempted, and what was decided after it. */
export interface DecidedAttempt {
  row: DeliveryToSend;
  decision: RetryDecision;
}

/**
 * Disables webhook endpoints that are gone or have failed too long. An endpoint that answered 410, or
 * whose every delivery has failed for WEBHOOK_DISABLE_AFTER_HOURS, is disabled, and its contact (if it
 * gave one) is told by email, once however many batches fail at once.
 */
@Injectable()
export class EndpointHealthService {
  private readonly logger = new Logger(EndpointHealthService.name);

  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: WebhookEndpointsService,
    private readonly mail: MailTransport,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** After a batch's outcomes are written: looks at each endpoint that answered 410 or used up its retries. */
  async review(attempts: readonly DecidedAttempt[]): Promise<void> {
    const gone = new Set<string>();
    const exhausted = new Set<string>();
    for (const { row, decision } of attempts) {
      if (row.channel !== 'webhook') continue;
      if (decision.kind === 'gone') gone.add(row.endpoint.id);
      else if (decision.kind === 'failed') exhausted.add(row.endpoint.id);
    }
    if (!gone.size && !exhausted.size) return;
    const reasons = new Map<string, string>();
    for (const endpointId of gone) reasons.set(endpointId, 'The receiver answered 410 Gone.');
    for (const endpointId of exhausted) {
      if (reasons.has(endpointId)) continue;
      const since = await this.deliveries.firstFailureSinceSuccess(endpointId);
      if (since && failingTooLong(since, this.clock.now(), this.config.webhookDisableAfterMs))
        reasons.set(endpointId, `Every delivery has failed since ${since.toISOString()}.`);
    }
    for (const [endpointId, reason] of reasons) await this.disable(endpointId, reason);
  }

  private async disable(endpointId: string, reason: string): Promise<void> {
    // Null when another batch disabled it first: that one tells the contact.
    const endpoint = await this.endpoints.disableForFailures(endpointId, reason);
    if (!endpoint) return;
    this.logger.warn(`disabled webhook endpoint ${endpointId}: ${reason}`);
    if (!endpoint.contactEmail) return;
    await this.mail
      .send({ to: endpoint.contactEmail, ...endpointDisabledEmail(endpoint, reason, this.config.publicUrl) })
      .catch((error: unknown) =>
        this.logger.error(`could not tell the contact of ${endpointId}: ${describeError(error)}`),
      );
  }
}

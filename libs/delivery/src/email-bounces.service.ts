import { Injectable } from '@nestjs/common';
import { EmailSubscriptionsService } from '@tocsin/subscribers';
import { AttemptOutcome, DeliveriesRepository, DeliveryToSend } from './deliveries.repository';
import {
  BOUNCES_TO_SUSPEND,
  bouncedTooOften,
  isPermanentSmtpFailure,
  suspensionReason,
} from './email-bounces';
import { RetryDecision } from './retry-policy';

/** A delivery attempted, what it came to, and what was decided after it. */
export interface BounceCandidate {
  row: DeliveryToSend;
  outcome: Pick<AttemptOutcome, 'statusCode'>;
  decision: RetryDecision;
}

/**
 * Suspends email subscriptions whose address keeps refusing mail (DESIGN.md §5.6): after a batch, each
 * subscription with a permanent failure in it is looked at once, all of them in one query, and those whose
 * last three settled deliveries all failed permanently are suspended together.
 */
@Injectable()
export class EmailBounces {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly subscriptions: EmailSubscriptionsService,
  ) {}

  /** After a batch's outcomes are written (the query reads this batch's failures from the rows). */
  async review(attempts: readonly BounceCandidate[]): Promise<void> {
    const bounced = new Set<string>();
    for (const { row, outcome, decision } of attempts)
      if (row.channel === 'email' && decision.kind === 'failed' && isPermanentSmtpFailure(outcome.statusCode))
        bounced.add(row.subscription.id);
    await this.reviewBounced([...bounced]);
  }

  /** After deliveries of these subscriptions failed permanently (a batch's, or a refused digest's). */
  async reviewBounced(subscriptionIds: readonly string[]): Promise<void> {
    if (!subscriptionIds.length) return;
    const latest = await this.deliveries.latestSettledEmailDeliveries(
      [...subscriptionIds],
      BOUNCES_TO_SUSPEND,
    );
    const reasons = new Map<string, string>();
    for (const [subscriptionId, settled] of latest)
      if (bouncedTooOften(settled)) reasons.set(subscriptionId, suspensionReason(settled));
    if (reasons.size) await this.subscriptions.suspendForBounces(reasons);
  }
}

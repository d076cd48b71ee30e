import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Principal } from '@tocsin/auth';
import { Clock } from '@tocsin/config';
import { KeysetWindow, Positioned } from '@tocsin/database';
import { JOB, JobQueues } from '@tocsin/queue';
import { WebhookEndpointsService } from '@tocsin/webhooks';
import {
  ChannelName,
  DeclarationDeliveryCounts,
  DeliveriesRepository,
  Delivery,
  DeliveryAttempt,
  DeliveryQuery,
  DeliveryStatus,
  DeliveryStatusCounts,
  ReopenedDelivery,
} from './deliveries.repository';

export interface DeliveryListQuery extends KeysetWindow {
  status?: DeliveryStatus;
}

/** How far the fan-out of a declaration has come (DESIGN §5.6), for the console's progress bar. */
export interface DeliverySummary extends DeliveryStatusCounts {
  declarationId: string;
  byChannel: Record<ChannelName, DeliveryStatusCounts>;
  startedAt: Date | null;
  lastDeliveredAt: Date | null;
  /** When the last delivery settled, once the fan-out is over and nothing is pending; else null. */
  finishedAt: Date | null;
  /** Deliveries that came to delivered or failed per second, over the last RATE_WINDOW_MS (or since the start). */
  ratePerSecond: number;
  /** Seconds until nothing is pending at that rate: 0 when done, null when unknown (no rate yet). */
  etaSeconds: number | null;
  fannedOut: boolean;
  events: number;
}

/** The rate is of the last ten seconds: long enough to smooth out batches, short enough to follow a slowdown. */
export const RATE_WINDOW_MS = 10_000;

/** The summary of `counts`, read at `now` with `recent` counted over the RATE_WINDOW_MS before it. */
export function deliverySummaryOf(
  declarationId: string,
  counts: DeclarationDeliveryCounts,
  now: Date,
): DeliverySummary {
  const totals = { ...counts.byChannel.webhook };
  for (const channel of ['email', 'sms'] as const)
    for (const status of Object.keys(totals) as (keyof DeliveryStatusCounts)[])
      totals[status] += counts.byChannel[channel][status];
  // Since the start when that is shorter than the window (but at least a second, so that the first
  // batch does not read as thousands a second).
  const windowMs = counts.startedAt
    ? Math.min(RATE_WINDOW_MS, Math.max(1000, now.getTime() - counts.startedAt.getTime()))
    : RATE_WINDOW_MS;
  const ratePerSecond = Math.round((counts.recent / (windowMs / 1000)) * 10) / 10;
  const done = counts.fannedOut && totals.pending === 0;
  return {
    declarationId,
    ...totals,
    byChannel: counts.byChannel,
    startedAt: counts.startedAt,
    lastDeliveredAt: counts.lastDeliveredAt,
    finishedAt: done ? counts.lastSettledAt : null,
    ratePerSecond,
    etaSeconds: done ? 0 : ratePerSecond > 0 ? Math.ceil(totals.pending / ratePerSecond) : null,
    fannedOut: counts.fannedOut,
    events: counts.events,
  };
}

/**
 * The delivery log and replays. An integrator sees the deliveries to its own endpoints only; email
 * deliveries (personal data) are for admins.
 */
@Injectable()
export class DeliveryLogService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: WebhookEndpointsService,
    private readonly queues: JobQueues,
    private readonly clock: Clock,
  ) {}

  list(query: DeliveryListQuery, caller: Principal): Promise<Positioned<Delivery>[]> {
    const scope: Partial<DeliveryQuery> = caller.role === 'admin' ? {} : { ownerKeyId: caller.keyId };
    return this.deliveries.findMany({ ...query, ...scope });
  }

  /** Deliveries to one endpoint; the endpoint must be the caller's (or the caller an admin). */
  async listForEndpoint(
    endpointId: string,
    query: DeliveryListQuery,
    caller: Principal,
  ): Promise<Positioned<Delivery>[]> {
    await this.endpoints.get(endpointId, caller);
    return this.deliveries.findMany({ ...query, webhookEndpointId: endpointId });
  }

  async get(id: string, caller: Principal): Promise<Delivery & { attemptsLog: DeliveryAttempt[] }> {
    const delivery = await this.deliveries.findById(id);
    const visible =
      delivery &&
      (caller.role === 'admin' || (delivery.ownerKeyId !== null && delivery.ownerKeyId === caller.keyId));
    if (!visible) throw new NotFoundException(`There is no delivery "${id}".`);
    return delivery;
  }

  /**
   * How far a declaration's fan-out has come. An integrator counts the deliveries to its own endpoints only,
   * as its delivery log shows them; a publisher or an admin counts them all (counts carry no personal data).
   */
  async summaryOf(declarationId: string, caller: Principal): Promise<DeliverySummary> {
    const now = this.clock.now();
    const counts = await this.deliveries.countsOfDeclaration(
      declarationId,
      now,
      new Date(now.getTime() - RATE_WINDOW_MS),
      caller.role === 'integrator' ? caller.keyId : undefined,
    );
    if (!counts) throw new NotFoundException(`There is no declaration "${declarationId}".`);
    return deliverySummaryOf(declarationId, counts, now);
  }

  /** Replays one failed delivery: one more attempt, now, with the same webhook-id. */
  async retry(id: string, caller: Principal): Promise<Delivery> {
    const delivery = await this.get(id, caller);
    if (delivery.status !== 'failed') {
      throw new ConflictException(
        `Delivery "${id}" is ${delivery.status}; only a failed delivery can be retried.`,
      );
    }
    const reopened = await this.deliveries.reopenFailed(id, this.clock.now());
    await this.enqueue(reopened);
    // Read again through `get`: a delivery removed meanwhile (its endpoint deleted) is a 404, not a crash.
    return this.get(id, caller);
  }

  /** Replays every failed delivery to an endpoint created since `since`; returns how many. */
  async recover(endpointId: string, since: Date, caller: Principal): Promise<number> {
    const endpoint = await this.endpoints.get(endpointId, caller);
    if (!endpoint.enabled)
      throw new ConflictException(`Webhook "${endpointId}" is disabled; enable it before recovering.`);
    const reopened = await this.deliveries.reopenFailedToEndpoint(endpointId, since, this.clock.now());
    await this.enqueue(reopened);
    return reopened.length;
  }

  private async enqueue(reopened: ReopenedDelivery[]): Promise<void> {
    await this.queues.addBulk(
      JOB.deliverOne,
      reopened.map((d) => ({ data: { deliveryId: d.id, attempt: d.attempts + 1 } })),
    );
  }
}

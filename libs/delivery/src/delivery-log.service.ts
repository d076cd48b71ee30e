import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Principal } from '@tocsin/auth';
import { Clock } from '@tocsin/config';
import { KeysetWindow, Positioned } from '@tocsin/database';
import { JOB, JobQueues } from '@tocsin/queue';
import { WebhookEndpointsService } from '@tocsin/webhooks';
import {
  DeliveriesRepository,
  Delivery,
  DeliveryAttempt,
  DeliveryQuery,
  DeliveryStatus,
  ReopenedDelivery,
} from './deliveries.repository';

export interface DeliveryListQuery extends KeysetWindow {
  status?: DeliveryStatus;
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

export {
  ChannelName,
  CHANNELS,
  Delivery,
  DeliveryAttempt,
  DELIVERY_STATUSES,
  DeliveryStatus,
} from './deliveries.repository';
export { DeliveryListQuery, DeliveryLogService, DeliverySummary } from './delivery-log.service';
export { DeliveryModule } from './delivery.module';
export { DeliveryReport, DeliveryService } from './delivery.service';
export { FanOutService } from './fan-out.service';
export { OutboxRelay } from './outbox-relay.service';
export { Reconciler } from './reconciler.service';
export { DigestResult, DigestService } from './digest.service';
export { TripClock, TripSweep } from './trip-clock.service';
export { TripSummaries, TripSummaryOutcome } from './trip-summaries.service';

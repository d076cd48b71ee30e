export { alertEmail, AlertEmail } from './alert-email';
export {
  Channel,
  CHANNELS,
  DeliveriesRepository,
  Delivery,
  DeliveryAttempt,
  DELIVERY_STATUSES,
  DeliveryStatus,
} from './deliveries.repository';
export { DeliveryListQuery, DeliveryLogService } from './delivery-log.service';
export { DeliveryModule } from './delivery.module';
export { DeliveryService } from './delivery.service';
export { DELIVERY_BATCH, FAN_OUT_PAGE, FanOutService } from './fan-out.service';
export { OutboxRelay } from './outbox-relay.service';
export { Reconciler } from './reconciler.service';
export { decideAfterAttempt, parseRetryAfter } from './retry-policy';

export { AudienceModule } from './audience.module';
export { Audience, AudienceRepository } from './audience.repository';
export { ClientRateLimit, RateVerdict } from './client-rate-limit';
export {
  EMAIL_SUBSCRIPTION_STATUSES,
  EmailSubscription,
  EmailSubscriptionStatus,
} from './email-subscriptions.repository';
export {
  EmailSubscriptionsService,
  PreferenceSettings,
  ReadingSettings,
  SignUpSettings,
  SignUpWishes,
  SubscriberLinks,
} from './email-subscriptions.service';
export {
  DeliverySettings,
  DIGEST_DELIVERIES,
  DigestDelivery,
  digestZoneOf,
  IMMEDIATE_DELIVERY,
  nextDigestAt,
} from './digest-schedule';
export { FilterInput, FilterInputs } from './filter-input';
export { InstanceSecrets } from './instance-secrets';
export { languageName, Reader, readerOf, signUpLanguage, zoneFor } from './subscriber-language';
export { SubscribersModule } from './subscribers.module';
export {
  checkedTripWindow,
  inTrip,
  NO_TRIP,
  TripState,
  tripOver,
  tripSummaryOwed,
  TripWindow,
  TripWindowInput,
  TripWindowProblem,
} from './trip-window';
export { requestedTrip } from './trip-request';
export { eventInTripSql, inTripSql } from './trip-window-sql';
export {
  FILTER_EVENTS,
  FILTER_EXPLANATION,
  FilterEvent,
  FilteredChange,
  filterColumns,
  filterMatches,
  filterOfColumns,
  SubscriptionFilterColumns,
  subscriberMatchesChangeSql,
  SubscriptionFilter,
} from './subscription-filter';

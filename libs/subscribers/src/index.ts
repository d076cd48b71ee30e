export { AudienceModule } from './audience.module';
export { Audience, AudienceRepository } from './audience.repository';
export { ClientRateLimit, RateVerdict } from './client-rate-limit';
export {
  EMAIL_SUBSCRIPTION_STATUSES,
  EmailSubscription,
  EmailSubscriptionStatus,
} from './email-subscriptions.repository';
export { EmailSubscriptionsService, normalizeEmail, SubscriberLinks } from './email-subscriptions.service';
export { FilterInput, FilterInputs } from './filter-input';
export { SubscribersModule } from './subscribers.module';
export {
  ChangeColumns,
  FILTER_EVENTS,
  FILTER_EXPLANATION,
  FilterColumns,
  FilterEvent,
  FilteredChange,
  filterMatches,
  filterMatchesSql,
  subscriberMatchesChangeSql,
  SubscriptionFilter,
} from './subscription-filter';

export { FilterInput, FilterInputs } from './filter-input';
export {
  ChangeColumns,
  FILTER_EVENTS,
  FILTER_EXPLANATION,
  FilterColumns,
  FilterEvent,
  FilteredChange,
  filterMatches,
  filterMatchesSql,
  SubscriptionFilter,
} from './subscription-filter';
export { SubscribersModule } from './subscribers.module';

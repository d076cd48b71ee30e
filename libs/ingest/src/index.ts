export { ImportOutcome, IngestService, PollOutcome } from './ingest.service';
export { IngestModule } from './ingest.module';
export {
  ITEM_OUTCOMES,
  ItemOutcome,
  Source,
  SourceCounts,
  SourceItem,
  SourceKind,
  SOURCE_KINDS,
  SourceLevelRule,
} from './source';
export {
  CreatedSource,
  DEFAULT_POLL_SECONDS,
  NewSource,
  SourcesService,
  SourceUpdate,
} from './sources.service';
export { capSchemaProblems } from './cap-schema';

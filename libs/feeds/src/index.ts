export { ATOM_MEDIA_TYPE } from './atom';
export { CAP_MEDIA_TYPE } from './cap';
export { strongEtag } from './etag';
export { FeedsModule } from './feeds.module';
export { FEED_SIZE, FeedsService, RenderedFeed } from './feeds.service';
export { CSV_MEDIA_TYPE, LEVELS_CSV_COLUMNS, renderLevelsCsv } from './levels-csv';

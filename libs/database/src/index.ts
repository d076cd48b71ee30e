export {
  CompiledStatement,
  compiledStatement,
  Database,
  notify,
  openDatabase,
  OUTBOX_CHANNEL,
  OpenDatabase,
  ping,
  pgliteDirIn,
  queryPrepared,
  queryRows,
  textArray,
} from './database';
export { DATABASE, DATABASE_NOTIFICATIONS, DatabaseModule, DatabaseNotifications } from './database.module';
export {
  compareNewestFirst,
  KeysetPosition,
  keysetInstant,
  keysetPosition,
  keysetSlice,
  KeysetWindow,
  newestFirst,
  Positioned,
  positioned,
} from './keyset';
export * as tables from './schema';

export { Database, openDatabase, OpenDatabase, ping, pgliteDirIn, queryRows } from './database';
export { DATABASE, DatabaseModule } from './database.module';
export * as tables from './schema';

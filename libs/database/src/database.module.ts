import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { Database, openDatabase, OpenDatabase, pgliteDirIn } from './database';

/** Injection token of the open database. */
export const DATABASE = Symbol('DATABASE');
/** Injection token of `OpenDatabase.listen`, for those woken by commits (the outbox relay). */
export const DATABASE_NOTIFICATIONS = Symbol('DATABASE_NOTIFICATIONS');
export type DatabaseNotifications = Pick<OpenDatabase, 'listen'>;
const OPEN_DATABASE = Symbol('OPEN_DATABASE');

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(OPEN_DATABASE) private readonly open: OpenDatabase) {}
  async onApplicationShutdown(): Promise<void> {
    await this.open.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: OPEN_DATABASE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<OpenDatabase> => {
        const open = await openDatabase(
          config.databaseUrl
            ? { databaseUrl: config.databaseUrl }
            : { pgliteDir: pgliteDirIn(config.dataDir) },
        );
        new Logger('Database').log(`${open.driver} at ${open.location}, schema up to date`);
        return open;
      },
    },
    { provide: DATABASE, inject: [OPEN_DATABASE], useFactory: (open: OpenDatabase): Database => open.db },
    {
      provide: DATABASE_NOTIFICATIONS,
      inject: [OPEN_DATABASE],
      useFactory: (open: OpenDatabase): DatabaseNotifications => ({ listen: open.listen }),
    },
    DatabaseLifecycle,
  ],
  exports: [DATABASE, DATABASE_NOTIFICATIONS],
})
export class DatabaseModule {}

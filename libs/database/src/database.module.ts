import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { Database, openDatabase, OpenDatabase, pgliteDirIn } from './database';

/** Injection token of the open database. */
export const DATABASE = Symbol('DATABASE');
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
    DatabaseLifecycle,
  ],
  exports: [DATABASE],
})
export class DatabaseModule {}

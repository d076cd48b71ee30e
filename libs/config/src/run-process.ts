import { AppConfig, redactUrl } from './config';
import { describeError } from './logging';

interface Closable {
  close(): Promise<void>;
}

/**
 * Starts a process's app. A failure to start (bad setting, unreachable database or Redis) ends the process
 * with one line on stderr and exit code 1, not a stack trace. SIGTERM or SIGINT closes the app (in-flight
 * requests and jobs finish, connections close) and exits 0.
 */
export function runProcess(start: () => Promise<Closable>): void {
  start().then(
    (app) => {
      let closing = false;
      const stop = (signal: NodeJS.Signals) => {
        if (closing) return;
        closing = true;
        process.stderr.write(`tocsin: ${signal} received, shutting down\n`);
        app.close().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(
              `tocsin: unclean shutdown: ${error instanceof Error ? error.message : String(error)}\n`,
            );
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      // One line, without a failed query's parameters or a URL's password, whatever the error quoted.
      const reason = redactUrl(describeError(error).split('\n')[0]);
      process.stderr.write(`tocsin: cannot start: ${reason}\n`);
      process.exit(1);
    },
  );
}

/**
 * The API and workers started apart (`start:api`, `start:worker`) are several processes, and the embedded
 * database is a folder only one process may open: they need a shared PostgreSQL.
 */
export function requireDatabaseUrl(config: AppConfig, face: string): void {
  if (!config.databaseUrl)
    throw new Error(
      `DATABASE_URL must be set to run the ${face} apart: the embedded database in DATA_DIR cannot be shared ` +
        'between processes (npm start runs the API and the worker in one process on it)',
    );
}

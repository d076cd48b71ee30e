// The embedded database's own thread (node:worker_threads): PGlite's WASM engine runs each query
// synchronously, so on the app's thread every query would stall the sends. This side owns the instance and
// answers requests from `PGliteThread` (pglite-thread-client.ts) over the worker's port. It imports nothing
// but PGlite and Node, as it also runs transpiled from source under the tests.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type ParserOptions, type Transaction } from '@electric-sql/pglite';

/** What the client asks; `transaction` (when set) is an id from `begin`, and the request runs inside it. */
export type ThreadRequest = { id: number } & (
  | {
      op: 'query';
      sql: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      textTypes: number[];
      transaction: number | null;
    }
  | { op: 'exec'; sql: string; transaction: number | null }
  | { op: 'begin' }
  | { op: 'end'; transaction: number; commit: boolean }
  | { op: 'listen'; channel: string }
  | { op: 'unlisten'; listener: number }
  | { op: 'close' }
);

/** A driver error's own fields (`code`, `severity`, `constraint`, …): a cloned Error would keep only its message. */
export interface ThreadError {
  message: string;
  fields: Record<string, string | number>;
}

export type ThreadMessage =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ThreadError }
  | { notification: number; payload: string }
  | { opened: true }
  | { opened: false; error: ThreadError };

export interface ThreadOptions {
  /** The PGlite folder, or null for a database in memory. */
  dataDir: string | null;
}

/** Rejects the promise a transaction's body waits on, so that PGlite rolls it back; not an error to report. */
const ROLLED_BACK = Symbol('rolled back');

function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error.message, fields };
}

/** Parsers that keep a type's text as it came, the only kind Drizzle passes (timestamps, dates, intervals). */
const keepingText = new Map<string, ParserOptions>();
function parsersKeepingText(types: number[]): ParserOptions {
  const key = types.join(',');
  let parsers = keepingText.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(types.map((type) => [type, (text: string) => text]));
    keepingText.set(key, parsers);
  }
  return parsers;
}

async function serve(options: ThreadOptions): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('pglite-thread runs in a worker thread');
  let pg: PGlite;
  try {
    pg = await PGlite.create(options.dataDir ?? undefined);
  } catch (error) {
    port.postMessage({ opened: false, error: toThreadError(error) } satisfies ThreadMessage);
    return;
  }

  const transactions = new Map<
    number,
    { tx: Transaction; finish(commit: boolean): void; finished: Promise<void> }
  >();
  const listeners = new Map<number, () => Promise<void>>();
  let nextId = 1;

  const inside = (transaction: number | null): Pick<Transaction, 'query' | 'exec'> => {
    if (transaction === null) return pg;
    const open = transactions.get(transaction);
    if (!open) throw new Error('Transaction is closed');
    return open.tx;
  };

  /** Opens a transaction whose body is the requests that name it, until `end`. */
  const begin = (): Promise<number> =>
    new Promise((opened, failed) => {
      const id = nextId++;
      const finished: Promise<void> = pg.transaction(
        (tx) =>
          new Promise<void>((commit, rollBack) => {
            transactions.set(id, {
              tx,
              finish: (ok) => (ok ? commit() : rollBack(ROLLED_BACK)),
              finished: finished.catch((error: unknown) => {
                if (error !== ROLLED_BACK) throw error;
              }),
            });
            opened(id);
          }),
      );
      finished.catch(failed); // before the body started (BEGIN failed); later, opened has settled it
    });

  const run = async (request: ThreadRequest): Promise<unknown> => {
    switch (request.op) {
      case 'query':
        return inside(request.transaction).query(request.sql, request.params, {
          rowMode: request.rowMode,
          parsers: parsersKeepingText(request.textTypes),
        });
      case 'exec':
        return inside(request.transaction).exec(request.sql);
      case 'begin':
        return begin();
      case 'end': {
        const open = transactions.get(request.transaction);
        if (!open) throw new Error('Transaction is closed');
        transactions.delete(request.transaction);
        open.finish(request.commit);
        return open.finished;
      }
      case 'listen': {
        const listener = nextId++;
        const unlisten = await pg.listen(request.channel, (payload) =>
          port.postMessage({ notification: listener, payload } satisfies ThreadMessage),
        );
        listeners.set(listener, unlisten);
        return listener;
      }
      case 'unlisten': {
        const unlisten = listeners.get(request.listener);
        listeners.delete(request.listener);
        await unlisten?.();
        return undefined;
      }
      case 'close':
        await pg.close();
        return undefined;
    }
  };

  port.on('message', (request: ThreadRequest) => {
    run(request).then(
      (value) => {
        port.postMessage({ id: request.id, ok: true, value } satisfies ThreadMessage);
        if (request.op === 'close') port.close(); // nothing else keeps this thread alive: it ends
      },
      (error: unknown) =>
        port.postMessage({ id: request.id, ok: false, error: toThreadError(error) } satisfies ThreadMessage),
    );
  });
  port.postMessage({ opened: true } satisfies ThreadMessage);
}

if (parentPort) void serve(workerData as ThreadOptions);

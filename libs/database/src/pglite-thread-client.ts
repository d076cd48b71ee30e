import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import type { ThreadError, ThreadMessage, ThreadOptions, ThreadRequest } from './pglite-thread';

/** A query that failed on the database's thread, with the driver's fields (`code`, `severity`, `constraint`…). */
export class EmbeddedQueryError extends Error {
  declare readonly code?: string;
  declare readonly severity?: string;
  declare readonly constraint?: string;
  declare readonly detail?: string;

  constructor(error: ThreadError) {
    super(error.message);
    for (const [field, value] of Object.entries(error.fields)) {
      if (field !== 'message' && field !== 'stack') Object.assign(this, { [field]: value });
    }
  }
}

/** What runs inside `PGliteThread.transaction`: PGlite's `Transaction`, the part Drizzle and we use. */
export interface ThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
  exec(sql: string): Promise<Results[]>;
  rollback(): Promise<void>;
  readonly closed: boolean;
}

type Request = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** How long a closing thread may take to end by itself before it is stopped. */
const CLOSE_MS = 10_000;

/**
 * PGlite on a thread of its own (see pglite-thread.ts), answering the subset of PGlite's interface that
 * Drizzle's PGlite driver (`query`, `transaction`), the migrator and `listen` use. An interactive transaction
 * holds PGlite's transaction lock on that thread, so other queries wait for it there, as they would in
 * process. The thread holds the event loop only while a request awaits its answer.
 */
export class PGliteThread {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly listeners = new Map<number, (payload: string) => void>();
  private nextId = 1;
  private stopped: Error | null = null;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: ThreadMessage) => this.receive(message));
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', (code) =>
      this.stop(new Error(`the embedded database's thread ended (exit code ${code})`)),
    );
    worker.unref();
  }

  /** Starts the thread and opens PGlite in `dataDir` (null: in memory) there. */
  static async open(dataDir: string | null): Promise<PGliteThread> {
    const script = await threadScript();
    const workerData: ThreadOptions = { dataDir };
    const worker =
      'file' in script
        ? new Worker(script.file, { workerData })
        : new Worker(script.code, { eval: true, workerData });
    const opened = await new Promise<ThreadMessage>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new Error(`the embedded database's thread ended (exit code ${code})`)),
      );
    });
    if ('opened' in opened && opened.opened) return new PGliteThread(worker);
    await worker.terminate();
    throw 'error' in opened ? new EmbeddedQueryError(opened.error) : new Error('unexpected first message');
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.queryIn(null, sql, params, options);
  }

  exec(sql: string): Promise<Results[]> {
    return this.ask({ op: 'exec', sql, transaction: null }) as Promise<Results[]>;
  }

  /** Runs `body` in one transaction on the thread: committed if it resolves, rolled back if it throws. */
  async transaction<T>(body: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const transaction = (await this.ask({ op: 'begin' })) as number;
    let closed = false;
    const end = async (commit: boolean) => {
      closed = true;
      await this.ask({ op: 'end', transaction, commit });
    };
    const ensureOpen = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx: ThreadTransaction = {
      query: async (sql, params = [], options) => {
        ensureOpen();
        return this.queryIn(transaction, sql, params, options);
      },
      exec: async (sql) => {
        ensureOpen();
        return this.ask({ op: 'exec', sql, transaction }) as Promise<Results[]>;
      },
      rollback: async () => {
        ensureOpen();
        await end(false);
      },
      get closed() {
        return closed;
      },
    };
    let result: T;
    try {
      result = await body(tx);
    } catch (error) {
      // The body's error is the one to report; a rollback that fails too (the thread gone) adds nothing.
      if (!closed) await end(false).catch(() => undefined);
      throw error;
    }
    if (!closed) await end(true);
    return result;
  }

  /** Calls `onPayload` for each notification on `channel`, until the returned function is called. */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = (await this.ask({ op: 'listen', channel })) as number;
    this.listeners.set(listener, onPayload);
    return async () => {
      if (!this.listeners.delete(listener) || this.stopped) return;
      await this.ask({ op: 'unlisten', listener });
    };
  }

  /** Closes PGlite (its files flushed) and ends the thread. */
  async close(): Promise<void> {
    if (!this.stopped) {
      try {
        await this.ask({ op: 'close' });
      } finally {
        const timer = setTimeout(() => void this.worker.terminate(), CLOSE_MS);
        await this.exited;
        clearTimeout(timer);
      }
    }
    await this.exited;
  }

  private queryIn<T>(
    transaction: number | null,
    sql: string,
    params: unknown[],
    options: QueryOptions | undefined,
  ): Promise<Results<T>> {
    const { rowMode = 'object', parsers = {}, ...others } = options ?? {};
    // Functions do not cross threads: only the parsers Drizzle passes, which keep a type's text, are known there.
    if (Object.keys(others).length) throw new Error(`query options not supported: ${Object.keys(others)}`);
    const textTypes = Object.keys(parsers).map(Number);
    return this.ask({ op: 'query', sql, params, rowMode, textTypes, transaction }) as Promise<Results<T>>;
  }

  private ask(request: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as ThreadRequest);
    });
  }

  private receive(message: ThreadMessage): void {
    if ('notification' in message) return this.listeners.get(message.notification)?.(message.payload);
    if (!('id' in message)) return;
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if (this.pending.size === 0) this.worker.unref();
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new EmbeddedQueryError(message.error));
  }

  /** The thread failed or ended: every waiting request fails with why, and so does every later one. */
  private stop(why: Error): void {
    this.stopped ??= why;
    for (const waiting of this.pending.values()) waiting.reject(why);
    this.pending.clear();
    this.listeners.clear();
  }
}

/**
 * The thread's script: compiled beside this file in dist/; run from source (the tests), transpiled here by
 * SWC, which the tests already use, and run with its imports resolved from the source folder.
 */
async function threadScript(): Promise<{ file: string } | { code: string }> {
  const built = join(__dirname, 'pglite-thread.js');
  if (existsSync(built)) return { file: built };
  const source = join(__dirname, 'pglite-thread.ts');
  const { transformFile } = await import('@swc/core');
  const { code } = await transformFile(source, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: false,
  });
  const requireFromSource = `require('node:module').createRequire(${JSON.stringify(source)})`;
  return { code: `(function (exports, require, module) {\n${code}\n})({}, ${requireFromSource}, {});` };
}

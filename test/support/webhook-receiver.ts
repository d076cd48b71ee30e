import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { eventually } from './eventually';

export interface Receipt {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers on a path: a status (and headers), or `hang` to never answer. */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A real HTTP receiver on a free local port. By default every path answers 204; `script` gives a path a
 * sequence of answers (the last one repeats).
 */
export class WebhookReceiver {
  readonly receipts: Receipt[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly served = new Map<string, number>();
  private readonly server: Server;
  /** Every answer waits this long, to keep deliveries in flight for a while. */
  delayMs = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.receipts.push({
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const script = this.scripts.get(path);
        const n = this.served.get(path) ?? 0;
        this.served.set(path, n + 1);
        const answer = script ? script[Math.min(n, script.length - 1)] : { status: 204 };
        if (answer === 'hang') return;
        setTimeout(() => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.status === 204 ? undefined : `answer ${answer.status}`);
        }, this.delayMs);
      });
    });
    this.server.keepAliveTimeout = 60_000;
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  script(path: string, answers: Answer[]): void {
    this.scripts.set(path, answers);
  }

  /** Paths that received at least one request. */
  distinctPaths(): number {
    return new Set(this.receipts.map((r) => r.path)).size;
  }

  at(path: string): Receipt[] {
    return this.receipts.filter((r) => r.path === path);
  }

  /** Waits until `predicate` holds; past `timeoutMs`, fails with the number of receipts so far. */
  async waitFor(predicate: () => boolean, timeoutMs = 20_000, what = 'receipts'): Promise<void> {
    await eventually(
      () => ({ held: predicate(), receipts: this.receipts.length }),
      (seen) => seen.held,
      { timeoutMs, what },
    );
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

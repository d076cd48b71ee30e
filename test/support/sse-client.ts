import { ClientRequest, get, IncomingHttpHeaders } from 'node:http';

/** One dispatched Server-Sent Event, with the time it was read. */
export interface ReceivedEvent {
  id: string | null;
  event: string;
  data: string;
  at: number;
}

/**
 * A real EventSource-like client over node:http: reads a text/event-stream as it arrives and parses it as
 * the WHATWG spec says (fields, comments, blank line = dispatch). It does not reconnect by itself: tests
 * reconnect on purpose, with the Last-Event-ID they choose.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  readonly comments: string[] = [];
  /** Every field line as received, e.g. `retry: 3000`, for asserting the wire format. */
  readonly lines: string[] = [];
  retry: number | null = null;
  ended = false;
  private read = 0;
  private pending = '';
  private fields: { id: string | null; event: string; data: string[] } = { id: null, event: '', data: [] };
  private readonly wakers = new Set<() => void>();

  private constructor(
    private readonly request: ClientRequest,
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
  ) {}

  /** Connects and resolves once the response head arrives. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        const client = new SseClient(request, response.statusCode ?? 0, response.headers);
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => client.receive(chunk));
        response.on('close', () => {
          client.ended = true;
          client.wake();
        });
        resolve(client);
      });
      request.on('error', reject);
    });
  }

  /** The next event not yet taken by `next`; fails after `timeoutMs`. */
  async next(timeoutMs = 2000): Promise<ReceivedEvent> {
    await this.until(() => this.read < this.events.length, timeoutMs, 'an event');
    return this.events[this.read++];
  }

  /** Waits until the server ends the stream. */
  async end(timeoutMs = 2000): Promise<void> {
    await this.until(() => this.ended, timeoutMs, 'the end of the stream');
  }

  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0 || this.ended) {
        if (condition()) return;
        throw new Error(`no ${what} within ${timeoutMs} ms${this.ended ? ' (the stream ended)' : ''}`);
      }
      await new Promise<void>((resolve) => {
        const wake = () => (clearTimeout(timer), this.wakers.delete(wake), resolve());
        const timer = setTimeout(wake, left);
        this.wakers.add(wake);
      });
    }
  }

  close(): void {
    this.request.destroy();
  }

  private receive(chunk: string): void {
    const lines = (this.pending + chunk).split(/\r\n|\r|\n/);
    this.pending = lines.pop()!;
    for (const line of lines) this.line(line);
    this.wake();
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return void this.comments.push(line.slice(1).trim());
    this.lines.push(line);
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') this.fields.id = value;
    else if (field === 'event') this.fields.event = value;
    else if (field === 'data') this.fields.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
  }

  private dispatch(): void {
    const { id, event, data } = this.fields;
    this.fields = { id: null, event: '', data: [] };
    if (!data.length) return;
    this.events.push({ id, event: event || 'message', data: data.join('\n'), at: Date.now() });
  }

  private wake(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

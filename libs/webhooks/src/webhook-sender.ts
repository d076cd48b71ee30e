import { OnModuleDestroy } from '@nestjs/common';
import { Agent, Dispatcher } from 'undici';
import { createGuardedAgent, ResolveHost, WebhookHostUnresolved, WebhookTargetRefused } from './ssrf-guard';
import { signWebhook } from './webhook-signer';
import { CheckedUrls, redactWebhookUrl } from './webhook-url';

/** One webhook message to send: what to sign and where to. Knows nothing of endpoints or deliveries. */
export interface WebhookMessage {
  url: string;
  /** `webhook-id`: the same on every retry of one message, so a receiver can drop repeats. */
  id: string;
  timestamp: Date;
  /** The JSON body, exactly as signed. */
  body: string;
  /** Secrets to sign with: the current one first, then one in its rotation grace period. */
  secrets: readonly string[];
}

export interface WebhookSendResult {
  /** The receiver answered 2xx. */
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The first kilobyte or so of the answer, for the delivery log. */
  responseExcerpt: string | null;
  /** From `Retry-After`, in seconds from now. */
  retryAfterSeconds: number | null;
}

export interface WebhookSenderOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  resolve?: ResolveHost;
}

export const WEBHOOK_USER_AGENT = 'Tocsin-Webhooks/1';
const EXCERPT_BYTES = 1024;
/** Bytes of an answer read before the connection is given up on; receivers answer 2xx with little or nothing. */
const DRAIN_BYTES = 64 * 1024;

/**
 * Sends one signed webhook POST through the SSRF guard; never throws, the outcome says what happened.
 * The port through which test pings and, later, deliveries reach receivers.
 */
export class WebhookSender implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly checkedUrls: CheckedUrls;

  constructor(private readonly options: WebhookSenderOptions) {
    this.agent = createGuardedAgent(options);
    this.checkedUrls = new CheckedUrls({ allowPrivate: options.allowPrivate });
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }

  async send(message: WebhookMessage): Promise<WebhookSendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const failure = (error: string, statusCode: number | null = null): WebhookSendResult => ({
      ok: false,
      statusCode,
      latencyMs: elapsed(),
      error,
      responseExcerpt: null,
      retryAfterSeconds: null,
    });

    // Checked at every send, not only when the endpoint was saved: the rules or the setting may have changed.
    const check = this.checkedUrls.check(message.url);
    if (!check.ok) return failure(`the URL ${check.reason}`);

    try {
      const answer = await this.post(check.url, message);
      const { statusCode } = answer;
      const ok = statusCode >= 200 && statusCode < 300;
      return {
        ok,
        statusCode,
        latencyMs: elapsed(),
        error: ok ? null : statusError(statusCode),
        responseExcerpt: answer.excerpt,
        retryAfterSeconds: parseRetryAfter(answer.retryAfter, new Date()),
      };
    } catch (error) {
      return failure(describeSendError(error, this.options.timeoutMs));
    }
  }

  /**
   * One POST through the agent's own dispatch, answered by a small handler rather than `request()`'s
   * stream of the body: a fan-out sends this once per delivery, and the stream machinery (and an
   * AbortSignal with its timer) were most of what a send cost beyond the socket itself. The agent bounds
   * connecting, the wait for the answer's headers and each gap in its body by the timeout.
   */
  private post(url: URL, message: WebhookMessage): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.agent.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: 'POST',
          headers: [
            'content-type',
            'application/json',
            'user-agent',
            WEBHOOK_USER_AGENT,
            'webhook-id',
            message.id,
            'webhook-timestamp',
            String(Math.floor(message.timestamp.getTime() / 1000)),
            'webhook-signature',
            signWebhook(message.secrets, message.id, message.timestamp, message.body),
          ],
          body: message.body,
        },
        new AnswerHandler(resolve, reject),
      );
    });
  }
}

/** What a receiver answered: enough for the delivery log and the retry policy. */
interface Answer {
  statusCode: number;
  retryAfter: string | undefined;
  excerpt: string | null;
}

/**
 * Collects an answer's status, `Retry-After` and first kilobyte. The rest of a body is read and dropped so
 * the connection stays usable, up to DRAIN_BYTES; a longer answer is cut off (its status still counts).
 */
class AnswerHandler implements Dispatcher.DispatchHandler {
  private statusCode = 0;
  private retryAfter: string | undefined;
  private excerpt: Buffer | null = null;
  private received = 0;
  private settled = false;
  private abort: ((error?: Error) => void) | null = null;

  constructor(
    private readonly resolve: (answer: Answer) => void,
    private readonly reject: (error: Error) => void,
  ) {}

  // undici 7's pools speak the callbacks below to their handlers (as `request()`'s own handler does).
  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    if (statusCode < 200) return true; // 1xx: the answer proper is still to come
    this.statusCode = statusCode;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i];
      if (name.length === RETRY_AFTER.length && name.toString('latin1').toLowerCase() === RETRY_AFTER) {
        this.retryAfter = rawHeaders[i + 1].toString('latin1');
        break;
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.received < EXCERPT_BYTES) {
      const room = EXCERPT_BYTES - this.received;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.excerpt = this.excerpt ? Buffer.concat([this.excerpt, part]) : Buffer.from(part);
    }
    this.received += chunk.length;
    if (this.received > DRAIN_BYTES) {
      this.settle();
      this.abort?.(new Error('answer longer than a webhook receiver needs'));
    }
    return true;
  }

  onComplete(): void {
    this.settle();
  }

  onError(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve({
      statusCode: this.statusCode,
      retryAfter: this.retryAfter,
      excerpt: this.excerpt ? this.excerpt.toString('utf8') : null,
    });
  }
}

const RETRY_AFTER = 'retry-after';

function statusError(statusCode: number): string {
  // Redirects are not followed: a signed alert must not be re-sent to a URL the owner never registered.
  if (statusCode >= 300 && statusCode < 400)
    return `answered ${statusCode}, a redirect, which is not followed`;
  return `answered ${statusCode}`;
}

/** `Retry-After` as seconds from `now`: either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return null;
  if (/^\d+$/.test(raw)) return Number(raw);
  // An HTTP date names its day and month; Date.parse alone would read "-5" as a year.
  const at = /[A-Za-z]/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

const ERROR_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed before an answer',
  UND_ERR_CLOSED: 'connection closed before an answer',
};

/**
 * A failed send in a line fit for a delivery log: the guard's reason, a timeout, a network or TLS error.
 * Errors name hosts, not paths; should one quote a Telegram URL all the same, its bot token is redacted.
 */
export function describeSendError(error: unknown, timeoutMs: number): string {
  return redactWebhookUrl(describeCause(error, timeoutMs));
}

function describeCause(error: unknown, timeoutMs: number): string {
  for (let cause = error; isErrorLike(cause); cause = cause.cause) {
    if (cause instanceof WebhookTargetRefused || cause instanceof WebhookHostUnresolved) return cause.message;
    const code = cause.code;
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return `could not connect within ${timeoutMs} ms`;
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
      return `no answer within ${timeoutMs} ms`;
    if (code && ERROR_WORDS[code]) return ERROR_WORDS[code];
    if (code && /CERT|SSL|TLS/.test(code)) return `TLS: ${cause.message}`;
    if (!isErrorLike(cause.cause)) return code ? `${cause.message} (${code})` : cause.message;
  }
  return String(error);
}

interface ErrorLike {
  message: string;
  code?: string;
  cause?: unknown;
}

// Not `instanceof Error`: errors made by Node's own modules may come from another realm (e.g. under Jest).
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string';
}

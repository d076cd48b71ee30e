import { OnModuleDestroy } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { createGuardedAgent, ResolveHost, WebhookHostUnresolved, WebhookTargetRefused } from './ssrf-guard';
import { signWebhook } from './webhook-signer';
import { checkWebhookUrl } from './webhook-url';

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

/**
 * Sends one signed webhook POST through the SSRF guard; never throws, the outcome says what happened.
 * The port through which test pings and, later, deliveries reach receivers.
 */
export class WebhookSender implements OnModuleDestroy {
  private readonly agent: Agent;

  constructor(private readonly options: WebhookSenderOptions) {
    this.agent = createGuardedAgent(options);
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
    const check = checkWebhookUrl(message.url, { allowPrivate: this.options.allowPrivate });
    if (!check.ok) return failure(`the URL ${check.reason}`);

    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await request(check.url, {
        method: 'POST',
        dispatcher: this.agent,
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': WEBHOOK_USER_AGENT,
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
          'webhook-signature': signWebhook(message.secrets, message.id, message.timestamp, message.body),
        },
        body: message.body,
      });
      const responseExcerpt = await readExcerpt(response.body);
      const { statusCode } = response;
      const ok = statusCode >= 200 && statusCode < 300;
      return {
        ok,
        statusCode,
        latencyMs: elapsed(),
        error: ok ? null : statusError(statusCode),
        responseExcerpt,
        retryAfterSeconds: parseRetryAfter(response.headers['retry-after'], new Date()),
      };
    } catch (error) {
      return failure(
        signal.aborted
          ? `no answer within ${this.options.timeoutMs} ms`
          : describeSendError(error, this.options.timeoutMs),
      );
    }
  }
}

function statusError(statusCode: number): string {
  // Redirects are not followed: a signed alert must not be re-sent to a URL the owner never registered.
  if (statusCode >= 300 && statusCode < 400)
    return `answered ${statusCode}, a redirect, which is not followed`;
  return `answered ${statusCode}`;
}

/** Reads at most about a kilobyte of the answer and lets go of the rest. */
async function readExcerpt(body: Readable): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      chunks.push(buffer);
      size += buffer.length;
      if (size >= EXCERPT_BYTES) break;
    }
  } catch {
    // An answer cut short still has a status; the excerpt is only what arrived.
  } finally {
    body.destroy();
  }
  if (size === 0) return null;
  return Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
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

/** A failed send in a line fit for a delivery log: the guard's reason, a timeout, a network or TLS error. */
export function describeSendError(error: unknown, timeoutMs: number): string {
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

import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { checkWebhookUrl, createGuardedAgent, describeSendError } from '@tocsin/webhooks';
import { Agent, request } from 'undici';

/** A validator pair for a conditional GET. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export type FetchResult =
  | { kind: 'ok'; status: 200; body: Buffer; validators: Validators }
  | { kind: 'not-modified'; status: 304 }
  | { kind: 'failed'; status: number | null; error: string };

/**
 * GETs feeds and CAP documents through the webhooks' SSRF guard (every connection to a checked public
 * address, unless WEBHOOK_ALLOW_PRIVATE), with WEBHOOK_TIMEOUT_MS for the connection, the headers and each
 * gap in the body, a deadline for the whole answer, and at most INGEST_MAX_BYTES read. Never throws.
 */
@Injectable()
export class CapFetcher implements OnModuleDestroy {
  private readonly agent: Agent;

  constructor(private readonly config: AppConfig) {
    this.agent = createGuardedAgent({
      allowPrivate: config.webhookAllowPrivate,
      timeoutMs: config.webhookTimeoutMs,
    });
  }

  async get(url: string, validators?: Validators): Promise<FetchResult> {
    const checked = checkWebhookUrl(url, { allowPrivate: this.config.webhookAllowPrivate });
    if (!checked.ok) return { kind: 'failed', status: null, error: `the URL ${checked.reason}` };
    const maxBytes = this.config.ingestMaxBytes;
    const timeoutMs = this.config.webhookTimeoutMs;
    const headers: Record<string, string> = {
      accept:
        'application/cap+xml, application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.1',
      'user-agent': 'Tocsin ingest',
    };
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
    // Whether the headers came: a deadline that fires before them is a source that did not answer at all,
    // whichever of the two timers (undici's headers timeout, this deadline) happened to fire first.
    let answered = false;
    try {
      // A source that trickles its answer byte by byte still ends within twice the timeout.
      const answer = await request(checked.url, {
        dispatcher: this.agent,
        method: 'GET',
        headers,
        signal: AbortSignal.timeout(timeoutMs * 2),
      });
      answered = true;
      if (answer.statusCode === 304) {
        await answer.body.dump();
        return { kind: 'not-modified', status: 304 };
      }
      if (answer.statusCode !== 200) {
        await answer.body.dump().catch(() => undefined);
        return { kind: 'failed', status: answer.statusCode, error: `answered ${answer.statusCode}` };
      }
      const declared = Number(answer.headers['content-length']);
      if (declared > maxBytes) {
        answer.body.destroy();
        return { kind: 'failed', status: 200, error: `larger than INGEST_MAX_BYTES (${maxBytes} bytes)` };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of answer.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          answer.body.destroy();
          return { kind: 'failed', status: 200, error: `larger than INGEST_MAX_BYTES (${maxBytes} bytes)` };
        }
        chunks.push(chunk as Buffer);
      }
      return {
        kind: 'ok',
        status: 200,
        body: Buffer.concat(chunks),
        validators: {
          etag: headerOf(answer.headers.etag),
          lastModified: headerOf(answer.headers['last-modified']),
        },
      };
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
      return {
        kind: 'failed',
        status: null,
        error: !timedOut
          ? describeSendError(error, timeoutMs)
          : answered
            ? `no complete answer within ${timeoutMs * 2} ms`
            : `no answer within ${timeoutMs} ms`,
      };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

function headerOf(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

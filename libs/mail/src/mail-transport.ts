import { mkdir, writeFile } from 'node:fs/promises';
import { connect, Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@tocsin/config';
import { createTransport, Transporter } from 'nodemailer';
import pLimit from 'p-limit';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per logical message (e.g. per delivery), so a resend is recognisably the same mail. */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** Where it went: `smtp` or the .eml file. */
  via: string;
}

/** An SMTP reply code, so callers can retry a 4xx and give up on a 5xx. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly responseCode: number | null,
  ) {
    super(message);
  }

  get transient(): boolean {
    return this.responseCode === null || (this.responseCode >= 400 && this.responseCode < 500);
  }
}

/**
 * The one way out for email: a pooled SMTP transport when SMTP_URL is set, else `.eml` files in
 * DATA_DIR/outbox (the embedded default, so a fresh install works without a mail server).
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  private readonly outboxDir: string | null;
  /**
   * Messages handed to nodemailer at once: twice the pool's connections, so that one is always ready when
   * a connection frees. nodemailer composes a message when it is handed over, and the delivery batches have
   * hundreds in flight: composed all at once, they stayed in memory until a connection took them, and
   * mostly held the first of them back (first email of a 5,000-subscriber fan-out, six runs each: a median
   * of 345 ms after the POST unbounded, 196 ms bounded).
   */
  private readonly handOver: ReturnType<typeof pLimit>;

  constructor(private readonly config: AppConfig) {
    if (config.smtpUrl) {
      const options = smtpPoolOptions(config.smtpUrl);
      this.transporter = createTransport(options);
      this.handOver = pLimit(2 * (Number(options.maxConnections) || SMTP_POOL_CONNECTIONS));
      this.outboxDir = null;
    } else {
      this.transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.handOver = pLimit(2 * SMTP_POOL_CONNECTIONS);
      this.outboxDir = join(resolve(config.dataDir), 'outbox');
    }
  }

  async send(message: MailMessage): Promise<SentMail> {
    try {
      const info = await this.handOver(() =>
        this.transporter.sendMail({
          from: this.config.mailFrom,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: message.headers,
        }),
      );
      if (!this.outboxDir) return { messageId: info.messageId, via: 'smtp' };
      await mkdir(this.outboxDir, { recursive: true });
      const file = join(
        this.outboxDir,
        `${Date.now()}-${info.messageId.replace(/[^A-Za-z0-9.@-]/g, '_')}.eml`,
      );
      await writeFile(file, info.message as Buffer);
      this.logger.log(`wrote ${file} (no SMTP_URL set)`);
      return { messageId: info.messageId, via: file };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode ?? null;
      // An SMTP server's refusal often quotes the address; the message is logged and kept on the delivery.
      const reason = (error as Error).message.replaceAll(message.to, '<recipient>');
      throw new MailError(`sending mail failed: ${reason}`, code);
    }
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/**
 * Connections of the pool unless `SMTP_URL` says otherwise (`?maxConnections=…`). nodemailer's 5 left a
 * fan-out's messages queued behind five SMTP round trips at a time; 20 reach nearly what the pool does at its
 * best (bench/email-fanout.mjs sweeps it) while staying within what relays commonly allow one client.
 */
export const SMTP_POOL_CONNECTIONS = 20;

/**
 * The nodemailer options of `SMTP_URL`: a pool (unless the URL says `pool=false`) of SMTP_POOL_CONNECTIONS
 * connections opened by `noDelaySocket`. Also what the email benchmark's ceiling is configured with.
 */
export function smtpPoolOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return {
    maxConnections: SMTP_POOL_CONNECTIONS,
    ...parseConnectionUrl(url.toString()),
    getSocket: noDelaySocket,
  };
}

/**
 * Opens the pool's connections with TCP_NODELAY. nodemailer leaves Nagle's algorithm on, and an SMTP
 * exchange is small writes each waiting for an answer, so every message waited for the server's delayed ACK
 * (~40 ms on Linux): about 20 messages a second per connection, 100 for the pool (bench/email-fanout.mjs).
 * nodemailer still does the rest on this socket: TLS for smtps://, STARTTLS, the connection timeout.
 */
function noDelaySocket(
  options: SMTPPool.Options,
  callback: (error: Error | null, socket?: { connection: Socket }) => void,
): void {
  const secure = options.secure ?? Number(options.port) === 465;
  const socket = connect({
    host: options.host ?? 'localhost',
    port: Number(options.port) || (secure ? 465 : 587),
    noDelay: true,
    keepAlive: true,
  });
  const fail = (error: Error) => callback(error);
  socket.setTimeout(options.connectionTimeout ?? 120_000, () =>
    socket.destroy(new Error('SMTP connection timed out')),
  );
  socket.once('error', fail).once('connect', () => {
    socket.off('error', fail).setTimeout(0);
    callback(null, { connection: socket });
  });
}

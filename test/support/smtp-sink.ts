import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './eventually';

/** A real SMTP server on a free local port that keeps every message it receives, parsed. */
export class SmtpSink {
  readonly messages: ParsedMail[] = [];
  /** Replies to give, in turn, to RCPT TO of an address, e.g. 451 (try later) or 550 (no such user). */
  private readonly refusals = new Map<string, number[]>();
  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, done) => {
        const code = this.refusals.get(address.address)?.shift();
        if (code === undefined) return done();
        done(
          Object.assign(new Error(code >= 500 ? 'no such mailbox' : 'try again later'), {
            responseCode: code,
          }),
        );
      },
      onData: (stream, _session, done) => {
        simpleParser(stream).then(
          (mail) => {
            this.messages.push(mail);
            done();
          },
          (error: Error) => done(error),
        );
      },
    });
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  refuse(address: string, codes: number[]): void {
    this.refusals.set(address, [...codes]);
  }

  /** Messages to `address`, waiting until there are at least `count`. */
  async waitFor(address: string, count = 1, timeoutMs = 5000): Promise<ParsedMail[]> {
    return eventually(
      () => this.to(address),
      (found) => found.length >= count,
      { timeoutMs, what: `${count} message(s) to ${address}` },
    );
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => {
      const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : [];
      return to.some((t) => t.value.some((v) => v.address === address));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a message's text that starts with `prefix`. */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const link = (mail.text ?? '').split(/\s+/).find((word) => word.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in: ${mail.text}`);
  return link;
}

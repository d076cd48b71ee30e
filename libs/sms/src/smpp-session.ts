import { EventEmitter } from 'node:events';
import { connect, errors, PDU, PduFields, Session } from 'smpp';
import { SmsSendError, statusName } from './smpp-status';

export interface SmppSessionOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** ssmpp:// — TLS from the first byte. */
  tls?: boolean;
  /** At most this many submit_sm awaiting their submit_sm_resp; the rest wait in memory. */
  window: number;
  /** How often an idle bind is checked with enquire_link; a link unanswered for as long is dropped. */
  enquireLinkMs?: number;
  /** How long a submit may wait for a bind or a place in the window before it fails as transient. */
  queueTimeoutMs?: number;
  /** How long a sent submit_sm may wait for its resp before it fails as transient. */
  responseTimeoutMs?: number;
  /** Rebind delays: from `minMs`, doubling up to `maxMs`, each jittered. */
  backoff?: { minMs: number; maxMs: number };
  logger?: SmppLogger;
}

export interface SmppLogger {
  log(message: string): void;
  warn(message: string): void;
}

/** The events of a session; `deliver` is every deliver_sm, already answered. */
export interface SmppSessionEvents {
  bound: [];
  unbound: [reason: string];
  bindFailed: [reason: string, commandStatus: number | undefined];
  deliver: [pdu: PDU];
}

const DEFAULTS = {
  enquireLinkMs: 30_000,
  queueTimeoutMs: 30_000,
  responseTimeoutMs: 30_000,
  backoff: { minMs: 500, maxMs: 30_000 },
};

/** The wait before rebind attempt `attempt` (0-based): doubling from minMs up to maxMs, then 50–100 % of it. */
export function rebindDelay(
  attempt: number,
  backoff: { minMs: number; maxMs: number },
  random = Math.random,
) {
  const ceiling = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

interface Submit {
  fields: PduFields;
  resolve(messageId: string): void;
  reject(error: SmsSendError): void;
  timer?: NodeJS.Timeout;
}

/**
 * One transceiver bind to an SMSC, kept: enquire_link while idle, rebound with backoff when it drops or is refused.
 * Submits wait in memory for the bind and for a place in the window; none is retried here (a submit whose bind
 * was lost after it was sent may have been accepted, and the delivery layer decides what a retry is worth).
 */
export class SmppSession extends EventEmitter<SmppSessionEvents> {
  private readonly settings: Required<Omit<SmppSessionOptions, 'logger' | 'tls'>> & { tls: boolean };
  private readonly logger?: SmppLogger;
  private session: Session | null = null;
  private bound = false;
  private closing = false;
  private attempt = 0;
  /** Why the bind is down, from the first failure of an outage until the next bind; logged once. */
  private outage: string | null = null;
  private rebindTimer?: NodeJS.Timeout;
  private enquireTimer?: NodeJS.Timeout;
  private readonly queue: Submit[] = [];
  private readonly inFlight = new Set<Submit>();

  constructor(options: SmppSessionOptions) {
    super();
    this.settings = {
      host: options.host,
      port: options.port,
      systemId: options.systemId,
      password: options.password,
      window: options.window,
      tls: options.tls ?? false,
      enquireLinkMs: options.enquireLinkMs ?? DEFAULTS.enquireLinkMs,
      queueTimeoutMs: options.queueTimeoutMs ?? DEFAULTS.queueTimeoutMs,
      responseTimeoutMs: options.responseTimeoutMs ?? DEFAULTS.responseTimeoutMs,
      backoff: options.backoff ?? DEFAULTS.backoff,
    };
    this.logger = options.logger;
  }

  get isBound(): boolean {
    return this.bound;
  }

  /** Submits waiting for a bind or a place in the window, and those sent and not yet answered. */
  get pending(): { queued: number; inFlight: number } {
    return { queued: this.queue.length, inFlight: this.inFlight.size };
  }

  /** Connects and binds; later binds happen by themselves. Resolves at once: `bound` says when it is up. */
  start(): void {
    if (this.session || this.closing) return;
    this.connect();
  }

  /** Sends one submit_sm (fields as the package names them) and resolves with the SMSC's message id. */
  submit(fields: PduFields): Promise<string> {
    if (this.closing) return Promise.reject(new SmsSendError('the SMPP session is closed', true));
    return new Promise((resolve, reject) => {
      const submit: Submit = { fields, resolve, reject };
      submit.timer = setTimeout(() => {
        const index = this.queue.indexOf(submit);
        if (index < 0) return;
        this.queue.splice(index, 1);
        reject(
          new SmsSendError(
            this.bound
              ? `no place in the SMPP window within ${this.settings.queueTimeoutMs} ms`
              : `not bound to the SMSC within ${this.settings.queueTimeoutMs} ms${this.outage ? ` (${this.outage})` : ''}`,
            true,
          ),
        );
      }, this.settings.queueTimeoutMs);
      this.queue.push(submit);
      this.pump();
    });
  }

  /** One enquire_link round trip on the current bind. */
  enquireLink(): Promise<void> {
    const session = this.session;
    if (!session || !this.bound) return Promise.reject(new SmsSendError('not bound to the SMSC', true));
    return new Promise((resolve, reject) => {
      const settle = (error?: SmsSendError) => {
        clearTimeout(timer);
        session.socket.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onClose = () => settle(new SmsSendError('the SMPP bind was lost', true));
      const timer = setTimeout(() => {
        settle(new SmsSendError('enquire_link unanswered', true));
        // A link that does not answer is dead even when TCP has not noticed yet.
        session.destroy();
      }, this.settings.enquireLinkMs);
      session.socket.once('close', onClose);
      session.enquire_link(() => settle());
    });
  }

  /** Unbinds, closes the connection, fails whatever waits (as transient) and stops every timer. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.rebindTimer);
    clearInterval(this.enquireTimer);
    for (const submit of this.queue.splice(0)) {
      clearTimeout(submit.timer);
      submit.reject(new SmsSendError('the SMPP session is closed', true));
    }
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      // A polite unbind first; an SMSC that does not answer within a second is cut off.
      const cutOff = setTimeout(() => session.destroy(), 1000);
      session.socket.once('close', () => {
        clearTimeout(cutOff);
        resolve();
      });
      if (!this.bound || !session.unbind(() => session.close())) session.destroy();
    });
  }

  private connect(): void {
    const { host, port, tls, systemId, password } = this.settings;
    const session = connect({ host, port, tls });
    this.session = session;
    // PDUs are small and answered one by one: Nagle's delay would hold each behind the peer's delayed ACK.
    session.socket.setNoDelay(true);
    let refusal: { reason: string; status?: number } | null = null;
    session.on('error', (error: Error) => {
      refusal ??= { reason: error.message };
      // After a PDU it cannot parse the package reads nothing more: only a new connection recovers.
      session.destroy();
    });
    // An SMSC that neither refuses the connection nor answers the bind is an outage too.
    const unanswered = setTimeout(() => {
      refusal = { reason: `not bound within ${this.settings.responseTimeoutMs} ms` };
      session.destroy();
    }, this.settings.responseTimeoutMs);
    session.socket.once('close', () => clearTimeout(unanswered));
    session.on(tls ? 'secureConnect' : 'connect', () => {
      session.bind_transceiver({ system_id: systemId, password }, (resp) => {
        clearTimeout(unanswered);
        if (resp.command_status !== 0) {
          refusal = {
            reason: `bind refused: ${statusName(resp.command_status)}`,
            status: resp.command_status,
          };
          session.destroy();
          return;
        }
        this.onBound();
      });
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: PDU) => {
      // Answered first: an SMSC resends what is not answered, and a receipt we fail to use is still received.
      session.send(pdu.response());
      this.emit('deliver', pdu);
    });
    session.on('close', () =>
      this.onClosed(session, refusal ?? { reason: 'the SMSC closed the connection' }),
    );
  }

  private onBound(): void {
    this.bound = true;
    if (this.outage) this.logger?.log(`SMPP bound again after ${this.attempt} failed attempt(s)`);
    else this.logger?.log(`SMPP bound to ${this.settings.host}:${this.settings.port}`);
    this.outage = null;
    this.attempt = 0;
    this.enquireTimer = setInterval(() => {
      this.enquireLink().catch(() => undefined);
    }, this.settings.enquireLinkMs);
    this.enquireTimer.unref();
    this.emit('bound');
    this.pump();
  }

  private onClosed(session: Session, cause: { reason: string; status?: number }): void {
    if (this.session !== session) return;
    const wasBound = this.bound;
    this.session = null;
    this.bound = false;
    clearInterval(this.enquireTimer);
    for (const submit of this.inFlight) {
      this.inFlight.delete(submit);
      clearTimeout(submit.timer);
      submit.reject(
        new SmsSendError(`the SMPP bind was lost before the SMSC answered (${cause.reason})`, true),
      );
    }
    if (wasBound) this.emit('unbound', cause.reason);
    else this.emit('bindFailed', cause.reason, cause.status);
    if (this.closing) return;
    if (!this.outage) {
      this.outage = cause.reason;
      this.logger?.warn(
        `SMPP ${wasBound ? 'bind lost' : 'bind failed'}: ${cause.reason}; rebinding with backoff`,
      );
    }
    const delay = rebindDelay(this.attempt++, this.settings.backoff);
    this.rebindTimer = setTimeout(() => this.connect(), delay);
  }

  /** Sends queued submits while the bind is up and the window has room. */
  private pump(): void {
    const session = this.session;
    while (session && this.bound && this.inFlight.size < this.settings.window && this.queue.length > 0) {
      const submit = this.queue.shift() as Submit;
      clearTimeout(submit.timer);
      this.inFlight.add(submit);
      const settle = (error: SmsSendError | null, messageId?: string) => {
        if (!this.inFlight.delete(submit)) return; // already failed by a timeout or a lost bind
        clearTimeout(submit.timer);
        if (error) submit.reject(error);
        else submit.resolve(messageId ?? '');
        this.pump();
      };
      submit.timer = setTimeout(
        () =>
          settle(new SmsSendError(`no submit_sm_resp within ${this.settings.responseTimeoutMs} ms`, true)),
        this.settings.responseTimeoutMs,
      );
      const sent = session.submit_sm(submit.fields, (resp) => {
        if (resp.command_status === errors.ESME_ROK) settle(null, resp.message_id);
        else settle(SmsSendError.fromStatus(resp.command_status));
      });
      if (!sent) settle(new SmsSendError('the SMPP connection is not writable', true));
    }
  }
}

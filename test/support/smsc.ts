import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { AddressInfo } from 'node:net';
import { createServer, errors, PDU, PduFields, Server, Session } from 'smpp';

/** One submit_sm as the SMSC received it, its short_message as the bytes on the wire. */
export interface SmscSubmit {
  messageId: string;
  source: string;
  sourceTon: number;
  sourceNpi: number;
  destination: string;
  destinationTon: number;
  destinationNpi: number;
  esmClass: number;
  registeredDelivery: number;
  dataCoding: number;
  shortMessage: Buffer;
}

export interface SmscBind {
  systemId: string;
  password: string;
  accepted: boolean;
}

/**
 * A real SMSC on a free local port, on the `smpp` package's server: binds (transceiver only, with the one right
 * system_id and password), answers submit_sm with fresh message ids and keeps every submit; sends receipts and
 * messages from phones; throttles, holds answers back and drops connections on demand.
 */
export class TestSmsc {
  readonly submits: SmscSubmit[] = [];
  readonly binds: SmscBind[] = [];
  /** Every submit_sm answered with a refusal (refuseNext), with the status it got. */
  readonly refusedSubmits: (Omit<SmscSubmit, 'messageId'> & { status: number })[] = [];
  /** enquire_link PDUs received from clients. */
  enquireLinks = 0;
  /** The most submit_sm received and not yet answered at any one time. */
  maxInFlight = 0;
  /** The credentials a bind must give; change them to make binds fail or succeed from then on. */
  credentials: { systemId: string; password: string };
  private inFlight = 0;
  private readonly refusals: number[] = [];
  private holding = false;
  private readonly held: (() => void)[] = [];
  private readonly bound = new Set<Session>();
  private readonly changes = new EventEmitter();
  private readonly server: Server;
  private port = 0;
  private sequence = 0;

  private constructor(credentials: { systemId: string; password: string }) {
    this.credentials = { ...credentials };
    this.changes.setMaxListeners(0);
    this.server = createServer((session) => this.accept(session));
  }

  static async start(credentials = { systemId: 'tocsin', password: 'secret' }): Promise<TestSmsc> {
    const smsc = new TestSmsc(credentials);
    await new Promise<void>((resolve) => smsc.server.listen(0, '127.0.0.1', resolve));
    smsc.port = (smsc.server.address() as AddressInfo).port;
    return smsc;
  }

  get host(): string {
    return '127.0.0.1';
  }

  get listeningPort(): number {
    return this.port;
  }

  /** `smpp://system_id:password@127.0.0.1:port` with the SMSC's credentials, or those given. */
  url(credentials = this.credentials): string {
    return `smpp://${encodeURIComponent(credentials.systemId)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${this.port}`;
  }

  /** Sessions bound now. */
  get sessions(): number {
    return this.bound.size;
  }

  /** Answers the next `count` submits with `status` (ESME_RTHROTTLED unless told) instead of accepting them. */
  refuseNext(count: number, status = errors.ESME_RTHROTTLED): void {
    for (let i = 0; i < count; i++) this.refusals.push(status);
  }

  /** Keeps submit_sm_resp back until `releaseResponses`, so what a client has in flight can be counted. */
  holdResponses(): void {
    this.holding = true;
  }

  /** Sends every held submit_sm_resp; with `keepHolding`, holds the ones that come after. */
  releaseResponses({ keepHolding = false } = {}): void {
    this.holding = keepHolding;
    for (const answer of this.held.splice(0)) answer();
  }

  /** Submits received and not yet answered. */
  get unanswered(): number {
    return this.inFlight;
  }

  /** Resolves when `predicate` holds, checked at every bind, PDU and close; fails after `timeoutMs`. */
  until(predicate: () => boolean, what = 'the condition', timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.changes.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changes.off('change', check);
        reject(new Error(`the test SMSC waited ${timeoutMs} ms for ${what}`));
      }, timeoutMs);
      this.changes.on('change', check);
    });
  }

  /** A delivery receipt for `messageId` to the bound client, in the text form (and the TLVs, with `tlvs`). */
  sendReceipt(messageId: string, stat: 'DELIVRD' | 'UNDELIV', { tlvs = false } = {}): Promise<void> {
    const submit = this.submits.find((s) => s.messageId === messageId);
    const text = `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2612031200 done date:2612031201 stat:${stat} err:${stat === 'DELIVRD' ? '000' : '001'} text:`;
    return this.deliver({
      source_addr: submit?.destination ?? '77010000000',
      source_addr_ton: 1,
      source_addr_npi: 1,
      destination_addr: submit?.source ?? 'Tocsin',
      esm_class: 0x04,
      data_coding: 0,
      short_message: Buffer.from(text, 'ascii'),
      ...(tlvs ? { receipted_message_id: messageId, message_state: stat === 'DELIVRD' ? 2 : 5 } : {}),
    });
  }

  /** A message from the phone `from` (digits, international) to the bound client, GSM-7 or else UCS-2. */
  sendFromPhone(from: string, text: string): Promise<void> {
    const gsm = /^[\x20-\x7e\n\r]*$/.test(text);
    return this.deliver({
      source_addr: from.replace(/^\+/, ''),
      source_addr_ton: 1,
      source_addr_npi: 1,
      destination_addr: 'Tocsin',
      esm_class: 0,
      data_coding: gsm ? 0 : 8,
      short_message: gsm ? Buffer.from(text, 'ascii') : Buffer.from(text, 'utf16le').swap16(),
    });
  }

  /** An enquire_link from the SMSC to the bound client; resolves on its answer. */
  enquireLink(): Promise<void> {
    const session = this.boundSession();
    return new Promise((resolve) => session.enquire_link(() => resolve()));
  }

  /** Cuts every connection (no unbind), as a crashed SMSC or a broken network would. */
  async dropConnections(): Promise<void> {
    const sessions = [...this.server.sessions];
    await Promise.all(
      sessions.map((session) => new Promise<void>((resolve) => session.destroy(() => resolve()))),
    );
  }

  async close(): Promise<void> {
    for (const answer of this.held.splice(0)) answer();
    await this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private boundSession(): Session {
    const [session] = this.bound;
    if (!session) throw new Error('no client is bound to the test SMSC');
    return session;
  }

  private deliver(fields: PduFields): Promise<void> {
    const session = this.boundSession();
    return new Promise((resolve, reject) =>
      session.deliver_sm(fields, (resp) =>
        resp.command_status === 0
          ? resolve()
          : reject(new Error(`deliver_sm answered ${resp.command_status}`)),
      ),
    );
  }

  private changed(): void {
    this.changes.emit('change');
  }

  private accept(session: Session): void {
    // The package hands over short_message decoded by data_coding; the test wants the bytes sent. Every PDU is
    // read in two reads (length, then the rest), so the last read before a `pdu` event is that PDU's body.
    const socket = session.socket;
    socket.setNoDelay(true);
    const read = socket.read.bind(socket);
    let lastRead: Buffer | null = null;
    socket.read = ((size?: number) => {
      const chunk = read(size) as Buffer | null;
      if (chunk) lastRead = chunk;
      return chunk;
    }) as typeof socket.read;
    session.on('error', () => undefined);
    session.on('close', () => {
      this.bound.delete(session);
      this.changed();
    });
    session.on('bind_transceiver', (pdu: PDU) => {
      const accepted =
        pdu.system_id === this.credentials.systemId && pdu.password === this.credentials.password;
      this.binds.push({ systemId: pdu.system_id ?? '', password: pdu.password ?? '', accepted });
      if (!accepted) {
        session.send(pdu.response({ command_status: errors.ESME_RBINDFAIL }), () => session.close());
      } else {
        session.send(pdu.response({ system_id: 'test-smsc' }));
        this.bound.add(session);
      }
      this.changed();
    });
    for (const refused of ['bind_transmitter', 'bind_receiver'])
      session.on(refused, (pdu: PDU) => {
        session.send(pdu.response({ command_status: errors.ESME_RBINDFAIL }), () => session.close());
      });
    session.on('enquire_link', (pdu: PDU) => {
      this.enquireLinks += 1;
      session.send(pdu.response());
      this.changed();
    });
    session.on('unbind', (pdu: PDU) => {
      session.send(pdu.response(), () => session.close());
    });
    session.on('submit_sm', (pdu: PDU) => {
      if (!this.bound.has(session)) {
        session.send(pdu.response({ command_status: errors.ESME_RINVBNDSTS }));
        return;
      }
      const refusal = this.refusals.shift();
      const messageId = refusal === undefined ? `${randomBytes(4).toString('hex')}${++this.sequence}` : '';
      if (refusal === undefined) this.submits.push({ messageId, ...submitFields(lastRead as Buffer | null) });
      else this.refusedSubmits.push({ status: refusal, ...submitFields(lastRead as Buffer | null) });
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      const answer = () => {
        this.inFlight -= 1;
        session.send(
          refusal === undefined
            ? pdu.response({ message_id: messageId })
            : pdu.response({ command_status: refusal }),
        );
        this.changed();
      };
      if (this.holding) this.held.push(answer);
      else answer();
      this.changed();
    });
  }
}

/** The fields of a submit_sm body (all after the 4-byte length), read by SMPP 3.4 §4.4.1's layout. */
function submitFields(body: Buffer | null): Omit<SmscSubmit, 'messageId'> {
  if (!body) throw new Error('the test SMSC did not see the submit_sm bytes');
  let offset = 12; // command_id, command_status, sequence_number
  const cstring = () => {
    const end = body.indexOf(0, offset);
    const value = body.toString('latin1', offset, end);
    offset = end + 1;
    return value;
  };
  const int8 = () => body.readUInt8(offset++);
  cstring(); // service_type
  const sourceTon = int8();
  const sourceNpi = int8();
  const source = cstring();
  const destinationTon = int8();
  const destinationNpi = int8();
  const destination = cstring();
  const esmClass = int8();
  int8(); // protocol_id
  int8(); // priority_flag
  cstring(); // schedule_delivery_time
  cstring(); // validity_period
  const registeredDelivery = int8();
  int8(); // replace_if_present_flag
  const dataCoding = int8();
  int8(); // sm_default_msg_id
  const length = int8();
  const shortMessage = Buffer.from(body.subarray(offset, offset + length));
  return {
    source,
    sourceTon,
    sourceNpi,
    destination,
    destinationTon,
    destinationNpi,
    esmClass,
    registeredDelivery,
    dataCoding,
    shortMessage,
  };
}

import { once } from 'node:events';
import { errors, PduFields } from 'smpp';
import { TestSmsc } from '../../../test/support/smsc';
import { SmppSession, SmppSessionOptions } from './smpp-session';
import { SmsSendError } from './smpp-status';

const message = (text: string): PduFields => ({
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'Tocsin',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '77010000001',
  registered_delivery: 1,
  data_coding: 0,
  esm_class: 0,
  short_message: Buffer.from(text, 'ascii'),
});

/** A logger that keeps what it was told. */
const recordingLogger = () => {
  const lines: { level: 'log' | 'warn'; text: string }[] = [];
  return {
    lines,
    log: (text: string) => lines.push({ level: 'log', text }),
    warn: (text: string) => lines.push({ level: 'warn', text }),
  };
};

describe('SmppSession against a local SMSC', () => {
  let smsc: TestSmsc;
  const sessions: SmppSession[] = [];

  const sessionFor = (options: Partial<SmppSessionOptions> = {}) => {
    const session = new SmppSession({
      host: smsc.host,
      port: smsc.listeningPort,
      systemId: 'tocsin',
      password: 'secret',
      window: 10,
      backoff: { minMs: 10, maxMs: 40 },
      ...options,
    });
    sessions.push(session);
    return session;
  };

  const bound = async (options: Partial<SmppSessionOptions> = {}) => {
    const session = sessionFor(options);
    const up = once(session, 'bound');
    session.start();
    await up;
    return session;
  };

  beforeEach(async () => {
    smsc = await TestSmsc.start({ systemId: 'tocsin', password: 'secret' });
  });

  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((session) => session.close()));
    await smsc.close();
  });

  it('binds as a transceiver and resolves a submit with the message id the SMSC gave', async () => {
    const session = await bound();
    const messageId = await session.submit(message('Almaty: level red'));
    expect(smsc.binds).toEqual([{ systemId: 'tocsin', password: 'secret', accepted: true }]);
    expect(smsc.submits).toHaveLength(1);
    expect(smsc.submits[0]).toMatchObject({
      messageId,
      destination: '77010000001',
      registeredDelivery: 1,
      shortMessage: Buffer.from('Almaty: level red', 'ascii'),
    });
  });

  it('keeps rebinding after a refused password, with backoff and one warning, until the SMSC accepts', async () => {
    smsc.credentials.password = 'other';
    const logger = recordingLogger();
    const session = sessionFor({ logger, backoff: { minMs: 5, maxMs: 20 } });
    const failures: (number | undefined)[] = [];
    session.on('bindFailed', (_reason, status) => failures.push(status));
    session.start();
    await smsc.until(() => smsc.binds.length >= 4, 'four bind attempts');
    expect(smsc.binds.slice(0, 4).every((bind) => !bind.accepted && bind.password === 'secret')).toBe(true);
    expect(session.isBound).toBe(false);

    const up = once(session, 'bound');
    smsc.credentials.password = 'secret';
    await up;
    expect(failures.length).toBeGreaterThanOrEqual(4);
    expect(failures.every((status) => status === errors.ESME_RBINDFAIL)).toBe(true);
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([
      { level: 'warn', text: 'SMPP bind failed: bind refused: ESME_RBINDFAIL; rebinding with backoff' },
    ]);
    expect(logger.lines.at(-1)?.text).toMatch(/^SMPP bound again after \d+ failed attempt\(s\)$/);
    await expect(session.submit(message('after the outage'))).resolves.toEqual(expect.any(String));
  });

  it('holds a submit made before the bind and sends it once bound', async () => {
    const session = sessionFor();
    const sent = session.submit(message('early'));
    session.start();
    const messageId = await sent;
    expect(smsc.submits.map((s) => s.messageId)).toEqual([messageId]);
  });

  it('fails a submit as transient when no bind comes within the queue timeout', async () => {
    smsc.credentials.password = 'other';
    const session = sessionFor({ queueTimeoutMs: 50 });
    session.start();
    const error = await session.submit(message('never')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error).toMatchObject({ transient: true, commandStatus: undefined });
    expect((error as Error).message).toMatch(/^not bound to the SMSC within 50 ms/);
    expect(smsc.submits).toHaveLength(0);
  });

  it('has at most `window` submits awaiting their resp; the rest wait and go as answers come', async () => {
    const session = await bound({ window: 3 });
    smsc.holdResponses();
    const all = Array.from({ length: 10 }, (_, i) => session.submit(message(`part ${i}`)));
    await smsc.until(() => smsc.unanswered === 3, 'three submits in flight');
    // TCP keeps order: once this round trip is back, any fourth submit written before it would have arrived.
    await session.enquireLink();
    expect(smsc.submits).toHaveLength(3);
    expect(session.pending).toEqual({ queued: 7, inFlight: 3 });

    while (smsc.submits.length < 10) {
      const seen = smsc.submits.length;
      smsc.releaseResponses({ keepHolding: true });
      await smsc.until(() => smsc.submits.length > seen, 'the next submits');
      await session.enquireLink();
      expect(smsc.unanswered).toBeLessThanOrEqual(3);
    }
    smsc.releaseResponses();
    const ids = await Promise.all(all);
    expect(new Set(ids).size).toBe(10);
    expect(smsc.maxInFlight).toBe(3);
    expect(smsc.submits.map((s) => s.shortMessage.toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => `part ${i}`),
    );
  });

  it('rejects throttled submits as transient with ESME_RTHROTTLED, and the next one goes through', async () => {
    const session = await bound();
    smsc.refuseNext(2);
    const results = await Promise.allSettled([
      session.submit(message('one')),
      session.submit(message('two')),
      session.submit(message('three')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    for (const result of results.slice(0, 2))
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        transient: true,
        commandStatus: 0x58,
        message: 'the SMSC refused the message: ESME_RTHROTTLED',
      });
  });

  it('rejects a submit to an invalid destination as permanent', async () => {
    const session = await bound();
    smsc.refuseNext(1, errors.ESME_RINVDSTADR);
    await expect(session.submit(message('x'))).rejects.toMatchObject({
      transient: false,
      commandStatus: errors.ESME_RINVDSTADR,
    });
  });

  it('fails what was in flight as transient when the SMSC drops the connection, rebinds, and sends the next', async () => {
    const logger = recordingLogger();
    const session = await bound({ logger });
    smsc.holdResponses();
    const inFlight = session.submit(message('lost'));
    await smsc.until(() => smsc.unanswered === 1, 'the submit in flight');
    const down = once(session, 'unbound');
    const upAgain = new Promise<void>((resolve) => void down.then(() => session.once('bound', resolve)));
    await smsc.dropConnections();
    await expect(inFlight).rejects.toMatchObject({ transient: true });
    await expect(inFlight).rejects.toThrow(/^the SMPP bind was lost before the SMSC answered/);
    smsc.releaseResponses();
    await upAgain;
    await expect(session.submit(message('after the drop'))).resolves.toEqual(expect.any(String));
    expect(smsc.binds.filter((b) => b.accepted)).toHaveLength(2);
    expect(logger.lines.filter((line) => line.level === 'warn')).toHaveLength(1);
  });

  it('keeps an idle bind alive with enquire_link and answers the SMSC’s own', async () => {
    const session = await bound({ enquireLinkMs: 20 });
    await smsc.until(() => smsc.enquireLinks >= 3, 'three enquire_link');
    await smsc.enquireLink();
    expect(session.isBound).toBe(true);
    expect(smsc.sessions).toBe(1);
    expect(smsc.binds).toHaveLength(1);
  });

  it('answers every deliver_sm and hands it on', async () => {
    const session = await bound();
    const delivered = once(session, 'deliver');
    await smsc.sendFromPhone('77010000001', 'stop');
    const [pdu] = await delivered;
    expect(pdu).toMatchObject({ source_addr: '77010000001', esm_class: 0 });
  });

  it('unbinds on close and fails what still waits as transient', async () => {
    smsc.credentials.password = 'other';
    const waiting = sessionFor();
    waiting.start();
    const queued = waiting.submit(message('queued'));
    await smsc.until(() => smsc.binds.length >= 1, 'a bind attempt');
    await waiting.close();
    await expect(queued).rejects.toMatchObject({ transient: true, message: 'the SMPP session is closed' });

    smsc.credentials.password = 'secret';
    const session = await bound();
    await session.close();
    await smsc.until(() => smsc.sessions === 0, 'the unbind');
    await expect(session.submit(message('late'))).rejects.toMatchObject({ transient: true });
  });
});

import type { AppConfig } from '@tocsin/config';
import { TestSmsc } from '../../../test/support/smsc';
import { SmsInbound } from './smpp-deliver';
import { SmsReceipt } from './smpp-receipt';
import { SmsSendError } from './smpp-status';
import { decodeSmsParts } from './sms-text';
import { SmsTransport } from './sms-transport';

const PHONE = '+77010000001';

/** The next value `subscribe` hands its listener. */
const next = <T>(subscribe: (listener: (value: T) => void) => () => void) =>
  new Promise<T>((resolve) => {
    const off = subscribe((value) => {
      off();
      resolve(value);
    });
  });

describe('SmsTransport against a local SMSC', () => {
  let smsc: TestSmsc;
  let transport: SmsTransport;

  const transportFor = (config: Partial<AppConfig>) => {
    transport = new SmsTransport(
      { smppUrl: smsc.url(), smsFrom: 'Tocsin', smppWindow: 10, ...config } as AppConfig,
      { backoff: { minMs: 10, maxMs: 40 } },
    );
    transport.start();
    return transport;
  };

  beforeEach(async () => {
    smsc = await TestSmsc.start();
    transportFor({});
  });

  afterEach(async () => {
    await transport.onModuleDestroy();
    await smsc.close();
  });

  /** The text of what the SMSC received, parts joined by their UDH. */
  const receivedText = () =>
    decodeSmsParts(
      smsc.submits.map((s) => ({
        shortMessage: s.shortMessage,
        dataCoding: s.dataCoding,
        esmClass: s.esmClass,
      })),
    );

  it('is not configured without SMPP_URL, connects nowhere and refuses to send as permanent', async () => {
    const off = new SmsTransport({ smsFrom: 'Tocsin', smppWindow: 10 } as AppConfig);
    off.start();
    expect(off.configured).toBe(false);
    await expect(off.submit(PHONE, 'x')).rejects.toMatchObject({ transient: false });
    await off.onModuleDestroy();
    expect(transport.configured).toBe(true);
  });

  it('sends a Latin text as one GSM 7-bit part from an alphanumeric sender to an international number', async () => {
    const sent = await transport.submit(PHONE, 'Almaty: terrorism threat level RED. https://t.example/a/1');
    expect(sent).toEqual({ messageIds: [smsc.submits[0].messageId], parts: 1, encoding: 'gsm7' });
    expect(smsc.submits[0]).toMatchObject({
      source: 'Tocsin',
      sourceTon: 5,
      sourceNpi: 0,
      destination: '77010000001',
      destinationTon: 1,
      destinationNpi: 1,
      registeredDelivery: 1,
      dataCoding: 0,
      esmClass: 0,
    });
    expect(receivedText()).toBe('Almaty: terrorism threat level RED. https://t.example/a/1');
  });

  it('sends from an E.164 SMS_FROM as an international number', async () => {
    await transport.onModuleDestroy();
    transportFor({ smsFrom: '+77270000000' });
    await transport.submit(PHONE, 'test');
    expect(smsc.submits[0]).toMatchObject({ source: '77270000000', sourceTon: 1, sourceNpi: 1 });
  });

  it('sends a Cyrillic text in UCS-2 that reads back as the same text', async () => {
    const text = 'Алматы: уровень террористической опасности КРАСНЫЙ';
    const sent = await transport.submit(PHONE, text);
    expect(sent).toMatchObject({ parts: 1, encoding: 'ucs2' });
    expect(smsc.submits[0].dataCoding).toBe(8);
    expect(receivedText()).toBe(text);
  });

  it('sends a long Latin text as concatenated GSM 7-bit parts with a UDH that join back to the text', async () => {
    const text = 'Almaty: terrorism threat level RED (critical). '.repeat(5).trim();
    const sent = await transport.submit(PHONE, text);
    expect(sent.parts).toBeGreaterThanOrEqual(2);
    expect(sent.parts).toBeLessThanOrEqual(3);
    expect(sent.messageIds).toEqual(smsc.submits.map((s) => s.messageId));
    for (const submit of smsc.submits) {
      expect(submit.dataCoding).toBe(0);
      expect(submit.esmClass & 0x40).toBe(0x40);
    }
    expect(receivedText()).toBe(text);
  });

  it('rejects a destination that is not E.164 as permanent, sending nothing', async () => {
    await expect(transport.submit('87010000001', 'x')).rejects.toMatchObject({ transient: false });
    expect(smsc.submits).toHaveLength(0);
  });

  it('rejects a throttled text as transient with ESME_RTHROTTLED; the retry goes through', async () => {
    smsc.refuseNext(1);
    const error = await transport.submit(PHONE, 'level red').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsSendError);
    expect(error).toMatchObject({ transient: true, commandStatus: 0x58 });
    await expect(transport.submit(PHONE, 'level red')).resolves.toMatchObject({ parts: 1 });
  });

  it('sends again after the SMSC dropped the connection', async () => {
    await transport.submit(PHONE, 'before');
    await smsc.dropConnections();
    await smsc.until(() => smsc.binds.filter((b) => b.accepted).length === 2, 'the rebind');
    await expect(transport.submit(PHONE, 'after')).resolves.toMatchObject({ parts: 1 });
    expect(smsc.submits.map((s) => s.shortMessage.toString())).toEqual(['before', 'after']);
  });

  it.each([
    ['DELIVRD', true, {}],
    ['UNDELIV', false, {}],
    ['DELIVRD', true, { tlvs: true }],
  ] as const)('emits a %s receipt for the message id it was given (%s)', async (stat, delivered, options) => {
    const { messageIds } = await transport.submit(PHONE, 'level red');
    const receipt = next<SmsReceipt>((listener) => transport.onReceipt(listener));
    await smsc.sendReceipt(messageIds[0], stat, options);
    await expect(receipt).resolves.toMatchObject({ messageId: messageIds[0], delivered, final: true, stat });
  });

  it('emits a STOP from a phone as an inbound message, from its E.164 number', async () => {
    await smsc.until(() => smsc.sessions === 1, 'the bind');
    const inbound = next<SmsInbound>((listener) => transport.onInbound(listener));
    await smsc.sendFromPhone('77010000001', 'STOP');
    await expect(inbound).resolves.toEqual({ from: PHONE, text: 'STOP' });
  });

  it('emits a Cyrillic reply from a phone in its own text', async () => {
    await smsc.until(() => smsc.sessions === 1, 'the bind');
    const inbound = next<SmsInbound>((listener) => transport.onInbound(listener));
    await smsc.sendFromPhone('77010000001', 'Стоп');
    await expect(inbound).resolves.toEqual({ from: PHONE, text: 'Стоп' });
  });

  it('unbinds on module destroy', async () => {
    await smsc.until(() => smsc.sessions === 1, 'the bind');
    await transport.onModuleDestroy();
    await smsc.until(() => smsc.sessions === 0, 'the unbind');
  });
});

// SMS alerts end to end (DESIGN.md §5.5): people sign up and confirm with the code the SMSC carried, a
// declaration reaches them as the text a phone shows, receipts settle the deliveries, throttling and a
// dropped bind are ridden out. The SMSC is a real one on a local port (test/support/smsc.ts).
import { tables } from '@tocsin/database';
import { decodeSmsParts } from '@tocsin/sms';
import { eq } from 'drizzle-orm';
import { eventually } from './support/eventually';
import { SmscSubmit, TestSmsc } from './support/smsc';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://alerts.tocsin.test';

/** What `read` answers once it answers something (not undefined, not empty, not false). */
const settled = <T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000) =>
  eventually(read, (value) => value !== undefined && value !== '' && value !== (false as unknown), {
    timeoutMs,
  }) as Promise<T>;

describe('SMS alerts over SMPP', () => {
  let smsc: TestSmsc;
  let test: TestApp;

  beforeAll(async () => {
    smsc = await TestSmsc.start();
    test = await startTestApp('postgres', {
      SMPP_URL: smsc.url(),
      SMS_FROM: 'Tocsin',
      PUBLIC_URL,
      WEBHOOK_RETRY_SCHEDULE: '1,1,1',
    });
  });
  afterAll(async () => {
    await test?.close();
    await smsc?.close();
  });

  /** What the SMSC took for `phone` since `since` submits, grouped into messages by their UDH reference. */
  const messagesTo = (phone: string, since = 0): SmscSubmit[][] => {
    const messages = new Map<string, SmscSubmit[]>();
    smsc.submits.slice(since).forEach((submit, i) => {
      if (submit.destination !== phone.slice(1)) return;
      const udh = (submit.esmClass & 0x40) !== 0;
      const key = udh ? `ref:${submit.shortMessage[3]}` : `single:${i}`;
      messages.set(key, [...(messages.get(key) ?? []), submit]);
    });
    return [...messages.values()];
  };
  const textOf = (parts: SmscSubmit[]) => decodeSmsParts(parts);
  /** Signs `phone` up and confirms it with the code the SMSC carried; answers the subscription's id. */
  const subscribe = async (phone: string, body: Record<string, unknown>) => {
    const since = smsc.submits.length;
    await test.http
      .post('/v1/sms-subscriptions')
      .send({ phone, ...body })
      .expect(202);
    const code = await settled(() => {
      const [message] = messagesTo(phone, since);
      return message && /\b(\d{6})\b/.exec(textOf(message))?.[1];
    });
    await test.http.post('/v1/sms-subscriptions/confirm').send({ phone, code }).expect(200);
    const [row] = await test.db
      .select()
      .from(tables.smsSubscriptions)
      .where(eq(tables.smsSubscriptions.phone, phone));
    expect(row.status).toBe('confirmed');
    return row.id;
  };
  const declare = (body: Record<string, unknown>) =>
    test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'kz-terror',
        level: 'red',
        headline: 'Critical terrorism threat level',
        summary: 'Repeat attacks are possible.',
        authority: 'Anti-Terrorist Centre',
        ...body,
      })
      .expect(201);
  const deliveriesTo = (subscriptionId: string) =>
    test.db.select().from(tables.deliveries).where(eq(tables.deliveries.smsSubscriptionId, subscriptionId));

  let almatyReader: string;
  let astanaReader: string;

  it('sends a Russian reader a Cyrillic alert in UCS-2 that reads as the alert', async () => {
    almatyReader = await subscribe('+77010000101', { areas: ['KZ-75'], language: 'ru' });
    const since = smsc.submits.length;
    await declare({
      areas: ['KZ-75'],
      translations: {
        ru: { headline: 'Критический уровень террористической опасности', summary: 'Возможны нападения.' },
      },
    });
    const [message] = await settled(() => {
      const messages = messagesTo('+77010000101', since);
      return messages.length ? messages : undefined;
    });
    expect(message.every((part) => part.dataCoding === 8)).toBe(true);
    const text = textOf(message);
    expect(text).toMatch(/^Алматы: /);
    expect(text).toContain('Критический уровень террористической опасности');
    expect(text).toMatch(new RegExp(`${PUBLIC_URL}/country/KZ$`));
    expect(message[0]).toMatchObject({ source: 'Tocsin', registeredDelivery: 1 });
  });

  it('keeps the delivery sent until the receipt, then marks it delivered', async () => {
    const [delivery] = await settled(async () => {
      const rows = await deliveriesTo(almatyReader);
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    expect(delivery.deliveredAt).toBeNull();
    const parts = await test.db
      .select()
      .from(tables.smsParts)
      .where(eq(tables.smsParts.deliveryId, delivery.id));
    for (const part of parts) await smsc.sendReceipt(part.messageId, 'DELIVRD');
    await settled(async () =>
      (await deliveriesTo(almatyReader))[0].status === 'delivered' ? true : undefined,
    );
    const shown = await test.http.get(`/v1/deliveries/${delivery.id}`).set(test.as()).expect(200);
    expect(shown.body).toMatchObject({
      channel: 'sms',
      status: 'delivered',
      smsSubscriptionId: almatyReader,
    });
  });

  it('sends a long Latin alert as concatenated GSM 7-bit parts that join back into the alert', async () => {
    astanaReader = await subscribe('+77010000102', { areas: ['KZ-71'], language: 'en' });
    // Within the 200 characters a headline may have; with the rest, more than one part's 160.
    const headline =
      'Critical terrorism threat level in Astana: checkpoints on every road into the city, public events ' +
      'cancelled, schools closed, and residents asked to stay at home and follow the authorities.';
    const since = smsc.submits.length;
    await declare({ areas: ['KZ-71'], headline });
    const [message] = await settled(() => {
      const messages = messagesTo('+77010000102', since);
      return messages.length && messages[0].length === messages[0][0].shortMessage[4] ? messages : undefined;
    });
    expect(message.length).toBeGreaterThanOrEqual(2);
    expect(message.length).toBeLessThanOrEqual(3);
    for (const [i, part] of message.entries()) {
      expect(part.dataCoding).toBe(0);
      expect(part.esmClass & 0x40).toBe(0x40);
      expect([...part.shortMessage.subarray(0, 3)]).toEqual([5, 0, 3]);
      expect(part.shortMessage[5]).toBe(i + 1);
    }
    expect(textOf([...message].reverse())).toBe(
      `Astana: terrorism threat level CRITICAL (red). ${headline} ${PUBLIC_URL}/country/KZ`,
    );
  });

  it('fails a delivery whose receipt says it was not delivered', async () => {
    const [delivery] = await settled(async () => {
      const rows = await deliveriesTo(astanaReader);
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    const parts = await test.db
      .select()
      .from(tables.smsParts)
      .where(eq(tables.smsParts.deliveryId, delivery.id));
    await smsc.sendReceipt(parts[0].messageId, 'UNDELIV');
    const [failed] = await settled(async () => {
      const rows = await deliveriesTo(astanaReader);
      return rows[0].status === 'failed' ? rows : undefined;
    });
    expect(failed.lastError).toContain('UNDELIV');
  });

  it('retries each throttled submit once, on the schedule, and sends each alert once', async () => {
    const readers = [
      await subscribe('+77010000103', { areas: ['KZ-79'] }),
      await subscribe('+77010000104', { areas: ['KZ-79'] }),
    ];
    const since = smsc.submits.length;
    smsc.refuseNext(2);
    await declare({ areas: ['KZ-79'] });
    for (const [i, reader] of readers.entries()) {
      const [delivery] = await settled(async () => {
        const rows = await deliveriesTo(reader);
        return rows[0]?.status === 'sent' ? rows : undefined;
      }, 15_000);
      expect(delivery.attempts).toBe(2);
      expect(messagesTo(`+7701000010${3 + i}`, since)).toHaveLength(1);
    }
  });

  it('sends the next alert after the SMSC dropped the bind', async () => {
    await smsc.dropConnections();
    const since = smsc.submits.length;
    await declare({ areas: ['KZ-71'], level: 'orange', headline: 'High terrorism threat level' });
    const [message] = await settled(() => {
      const messages = messagesTo('+77010000102', since);
      return messages.length ? messages : undefined;
    }, 15_000);
    expect(textOf(message)).toMatch(/^Astana: terrorism threat level .*High terrorism threat level/);
  });
});

import { loadConfig } from '@tocsin/config';
import { formatLongInstant } from '@tocsin/i18n';
import { MailError, MailMessage, MailTransport } from '@tocsin/mail';
import { BUILTIN_SCHEMES, SchemesService, StoredScheme } from '@tocsin/schemes';
import { EmailSubscriptionsService, SubscriberLinks } from '@tocsin/subscribers';
import { alertContent, threadRootId } from './alert-email';
import { EmailChannel } from './email-channel';
import { levelChangedEvent } from './testing/level-changed-event';
import { emailDelivery } from './testing/fakes';

// The real renderer, counted: how many times a batch renders is what the fan-out's cost per message rides on.
jest.mock('./alert-email', () => {
  const actual = jest.requireActual<typeof import('./alert-email')>('./alert-email');
  return { ...actual, alertContent: jest.fn(actual.alertContent) };
});
const render = alertContent as jest.MockedFunction<typeof alertContent>;

describe('EmailChannel', () => {
  let sent: MailMessage[];
  let mailAnswer: () => Promise<void>;
  let schemeReads: string[];
  let schemeAnswer: () => Promise<StoredScheme>;
  let channel: EmailChannel;

  beforeEach(() => {
    sent = [];
    mailAnswer = async () => undefined;
    schemeReads = [];
    schemeAnswer = async () => BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror') as StoredScheme;
    const mail = {
      async send(message: MailMessage) {
        sent.push(message);
        await mailAnswer();
        return { messageId: message.messageId ?? '', via: 'smtp' };
      },
    };
    const subscriptions = {
      async linksFor({ id }: { id: string }): Promise<SubscriberLinks> {
        return {
          manageUrl: `https://tocsin.example/manage/${id}`,
          unsubscribeUrl: `https://tocsin.example/unsubscribe/${id}`,
        };
      },
    };
    const schemes = {
      get(id: string) {
        schemeReads.push(id);
        return schemeAnswer();
      },
    };
    channel = new EmailChannel(
      mail as unknown as MailTransport,
      subscriptions as unknown as EmailSubscriptionsService,
      schemes as unknown as SchemesService,
      loadConfig({ PUBLIC_URL: 'https://tocsin.example' }),
    );
  });

  it('sends the alert to the address with its links and a Message-ID of the delivery', async () => {
    const result = await channel.send(emailDelivery('dlv_1'));

    expect(result).toMatchObject({ ok: true, statusCode: 250, error: null });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'dlv_1@example.org',
      subject: 'Kazakhstan — terrorism threat level CRITICAL (red)',
      messageId: '<dlv_1@tocsin.example>',
      headers: { 'List-Unsubscribe': '<https://tocsin.example/unsubscribe/sub_dlv_1>' },
    });
  });

  it('links Details to the country page and threads by the subscription, reading nothing more', async () => {
    await channel.send(emailDelivery('dlv_1'));
    // The same subscription's next alert, about the same area and scheme.
    await channel.send({
      ...emailDelivery('dlv_2', { id: 'sub_dlv_1' }),
      payload: levelChangedEvent('evt_2'),
    });
    await channel.send(emailDelivery('dlv_3', { language: 'ru' }));

    expect(sent[0].text).toContain('\nDetails: https://tocsin.example/country/KZ\n');
    expect(sent[0].html).toContain('href="https://tocsin.example/country/KZ"');
    const [first, second, other] = sent.map((m) => m.headers ?? {});
    expect(first.References).toBe(threadRootId('sub_dlv_1', 'KZ', 'kz-terror', 'tocsin.example'));
    expect(first['In-Reply-To']).toBe(first.References);
    expect(second.References).toBe(first.References);
    expect(second['In-Reply-To']).toBe(first.References);
    // Another subscriber's alert of the same area is in a thread of its own.
    expect(other.References).toBe(threadRootId('sub_dlv_3', 'KZ', 'kz-terror', 'tocsin.example'));
    expect(other.References).not.toBe(first.References);
    expect(sent.map((m) => m.messageId)).toEqual([
      '<dlv_1@tocsin.example>',
      '<dlv_2@tocsin.example>',
      '<dlv_3@tocsin.example>',
    ]);
    expect(schemeReads).toEqual(['kz-terror', 'kz-terror']);
  });

  it('marks the alert of an exercise or a test in its subject and first line, in the subscriber’s language', async () => {
    const event = levelChangedEvent('evt_x');
    const exercise = {
      ...event,
      type: 'threat_level.exercise' as const,
      data: { ...event.data, declaration: { ...event.data.declaration, mode: 'exercise' as const } },
    };
    const test = {
      ...exercise,
      data: { ...exercise.data, declaration: { ...exercise.data.declaration, mode: 'test' as const } },
    };
    await channel.send({ ...emailDelivery('dlv_1'), payload: exercise });
    await channel.send({ ...emailDelivery('dlv_2', { language: 'ru' }), payload: test });

    expect(sent.map((m) => m.subject)).toEqual([
      '[EXERCISE] Kazakhstan — terrorism threat level CRITICAL (red)',
      '[TEST] Казахстан — уровень террористической опасности: критический (красный)',
    ]);
    expect(sent[0].text).toMatch(/^This is an EXERCISE\. No threat level has changed;/);
    expect(sent[1].text).toMatch(/^Это ТЕСТ\. Уровень угрозы не изменился;/);
  });

  it('reads the scheme once for the rows of one batch, and again for another batch', async () => {
    await Promise.all([channel.send(emailDelivery('dlv_1')), channel.send(emailDelivery('dlv_2'))]);
    const nextBatch = { ...emailDelivery('dlv_3'), payload: levelChangedEvent('evt_1') };
    await channel.send(nextBatch);

    expect(schemeReads).toEqual(['kz-terror', 'kz-terror']);
  });

  it('writes each subscriber’s alert in its language and zone', async () => {
    await Promise.all([
      channel.send(emailDelivery('dlv_ru', { language: 'ru' })),
      channel.send(emailDelivery('dlv_kk', { language: 'kk', timeZone: 'Europe/London' })),
    ]);
    const subjects = Object.fromEntries(sent.map((m) => [m.to, m.subject]));
    expect(subjects).toEqual({
      'dlv_ru@example.org': 'Казахстан — уровень террористической опасности: критический (красный)',
      'dlv_kk@example.org': expect.stringMatching(/^Қазақстан — террористік қауіп деңгейі: /),
    });
    expect(sent.find((m) => m.to === 'dlv_kk@example.org')!.text).toContain(
      formatLongInstant(new Date('2022-01-07T09:00:00.000Z'), 'kk', 'Europe/London'),
    );
  });

  it('renders an event once per language and zone in a batch, whatever the number of recipients', async () => {
    render.mockClear();
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => emailDelivery(`dlv_ru${i}`, { language: 'ru' })),
      ...Array.from({ length: 20 }, (_, i) => emailDelivery(`dlv_en${i}`)),
      ...Array.from({ length: 5 }, (_, i) => emailDelivery(`dlv_london${i}`, { timeZone: 'Europe/London' })),
    ];
    const results = await Promise.all(rows.map((row) => channel.send(row)));

    expect(results.every((r) => r.ok)).toBe(true);
    expect(sent).toHaveLength(45);
    expect(render).toHaveBeenCalledTimes(3);
    // Each still has links of its own.
    expect(new Set(sent.map((m) => m.headers?.['List-Unsubscribe'])).size).toBe(45);
    // A later batch (another payload object) renders again.
    await channel.send({ ...emailDelivery('dlv_next'), payload: levelChangedEvent('evt_1') });
    expect(render).toHaveBeenCalledTimes(4);
  });

  it('renders apart for subscribers whose filters keep different changes of one event', async () => {
    const event = levelChangedEvent('evt_2', ['KZ-75', 'KZ-71']);
    await Promise.all([
      channel.send({
        ...emailDelivery('dlv_all', {
          filter: { areas: ['*'], schemeId: null, minRank: null, events: null },
        }),
        payload: event,
      }),
      channel.send({
        ...emailDelivery('dlv_city', {
          filter: { areas: ['KZ-71'], schemeId: null, minRank: null, events: null },
        }),
        payload: event,
      }),
    ]);
    const subjects = Object.fromEntries(sent.map((m) => [m.to, m.subject]));
    expect(subjects['dlv_all@example.org']).toBe(
      'Almaty and 1 more area — terrorism threat level CRITICAL (red)',
    );
    expect(subjects['dlv_city@example.org']).toBe('Astana — terrorism threat level CRITICAL (red)');
  });

  it('answers a refused address as a permanent failure and a busy server as one to retry', async () => {
    mailAnswer = async () => {
      throw new MailError('the server refused the recipient (550)', 550);
    };
    expect(await channel.send(emailDelivery('dlv_1'))).toMatchObject({
      ok: false,
      statusCode: 550,
      permanent: true,
      error: 'the server refused the recipient (550)',
    });
    mailAnswer = async () => {
      throw new MailError('try again later (451)', 451);
    };
    expect(await channel.send(emailDelivery('dlv_2'))).toMatchObject({
      ok: false,
      statusCode: 451,
      permanent: false,
    });
  });

  it('turns any other error into a failed attempt rather than throwing', async () => {
    schemeAnswer = async () => {
      throw new Error('Failed query: select * from schemes\nparams: kz-terror');
    };

    expect(await channel.send(emailDelivery('dlv_1'))).toMatchObject({
      ok: false,
      statusCode: null,
      permanent: false,
      error: 'Failed query: select * from schemes',
    });
    expect(sent).toEqual([]);
  });
});

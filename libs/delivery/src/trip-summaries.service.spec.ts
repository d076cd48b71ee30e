import { NotFoundException } from '@nestjs/common';
import { findArea } from '@tocsin/areas';
import { loadConfig } from '@tocsin/config';
import type { EffectiveLevel, LevelsService } from '@tocsin/declarations';
import { MailError, type MailMessage, type MailTransport } from '@tocsin/mail';
import { BUILTIN_SCHEMES, SchemesService } from '@tocsin/schemes';
import {
  SmsSendError,
  type SmsSubscription,
  type SmsSubscriptionsService,
  type SmsTransport,
} from '@tocsin/sms';
import type { EmailSubscription, EmailSubscriptionsService } from '@tocsin/subscribers';
import { StoppedClock } from './testing/fakes';
import { TripSummaries } from './trip-summaries.service';
import type { TripsRepository } from './trips.repository';

const now = new Date('2022-01-13T06:00:00Z');
const activeFrom = new Date('2022-01-13T00:00:00Z');

const level = (areaCode: string, code: 'red' | 'orange', schemeId = 'kz-terror'): EffectiveLevel => {
  const own = BUILTIN_SCHEMES.find((s) => s.id === 'kz-terror')!.levels.find((l) => l.code === code)!;
  return {
    areaCode,
    schemeId,
    level: { code, rank: own.rank, name: own.name, color: own.color ?? null },
    declarationId: 'dcl_1',
    source: areaCode,
    since: activeFrom,
    until: null,
  };
};

/** 13 January 2022: Almaty red, Astana orange, the rest of Kazakhstan no level. */
const levels = {
  async of(code: string) {
    return {
      area: findArea(code)!,
      levels: [],
      subdivisions: [
        { area: findArea('KZ-71')!, levels: [level('KZ-71', 'orange')] },
        { area: findArea('KZ-75')!, levels: [level('KZ-75', 'red')] },
      ],
    };
  },
  async all(at: Date) {
    return { at, items: [], validUntil: null };
  },
} as unknown as LevelsService;

const schemes = {
  async get(id: string) {
    const scheme = BUILTIN_SCHEMES.find((s) => s.id === id);
    if (!scheme) throw new NotFoundException();
    return scheme;
  },
} as unknown as SchemesService;

function subscription(changes: Partial<EmailSubscription> = {}): EmailSubscription {
  return {
    id: 'sub_1',
    email: 'traveller@example.org',
    filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
    exercises: false,
    status: 'confirmed',
    language: 'en',
    timeZone: null,
    tokenVersion: 1,
    createdAt: activeFrom,
    updatedAt: activeFrom,
    confirmedAt: activeFrom,
    unsubscribedAt: null,
    confirmationSentAt: activeFrom,
    confirmationsToday: 1,
    activeFrom,
    activeUntil: null,
    tripSummarySentAt: null,
    delivery: 'immediate',
    immediateMinRank: null,
    digestHour: 8,
    digestWeekday: 1,
    nextDigestAt: null,
    ...changes,
  };
}

function smsSubscription(): SmsSubscription {
  return {
    id: 'sms_1',
    phone: '+77010000001',
    filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
    exercises: false,
    status: 'confirmed',
    language: 'en',
    codeHash: null,
    codeSentAt: null,
    codesToday: 0,
    wrongCodes: 0,
    lockedUntil: null,
    createdAt: activeFrom,
    updatedAt: activeFrom,
    confirmedAt: activeFrom,
    unsubscribedAt: null,
    activeFrom,
    activeUntil: null,
    tripSummarySentAt: null,
  };
}

interface Failures {
  crashOnRecord?: number;
  /** What the mail server or the SMSC answers instead of taking the message. */
  refusal?: Error;
}

function summaries(row: EmailSubscription | null, { crashOnRecord = 0, refusal }: Failures = {}) {
  const sent: MailMessage[] = [];
  const texted: string[] = [];
  const recorded: unknown[][] = [];
  let crashes = crashOnRecord;
  const trips = {
    async markSummarySent(...args: unknown[]) {
      if (crashes-- > 0) throw new Error('the worker died');
      recorded.push(args);
      return true;
    },
  } as unknown as TripsRepository;
  const emailSubscriptions = {
    async get() {
      if (!row) throw new NotFoundException();
      return row;
    },
    async linksFor() {
      return { manageUrl: 'https://tocsin.example/m', unsubscribeUrl: 'https://tocsin.example/u' };
    },
  } as unknown as EmailSubscriptionsService;
  const mail = {
    async send(message: MailMessage) {
      if (refusal) throw refusal;
      sent.push(message);
      return { messageId: message.messageId!, via: 'smtp' };
    },
  } as unknown as MailTransport;
  const smsSubscriptions = {
    async get() {
      return smsSubscription();
    },
  } as unknown as SmsSubscriptionsService;
  const sms = {
    async submit(_phone: string, text: string) {
      if (refusal) throw refusal;
      texted.push(text);
    },
  } as unknown as SmsTransport;
  const service = new TripSummaries(
    trips,
    emailSubscriptions,
    smsSubscriptions,
    levels,
    schemes,
    mail,
    sms,
    new StoppedClock(now),
    loadConfig({ PUBLIC_URL: 'https://tocsin.example' }),
  );
  return { service, sent, texted, recorded };
}

describe('TripSummaries', () => {
  const job = { channel: 'email', subscriptionId: 'sub_1' } as const;

  it('mails the country with no level and each subdivision with its own, then records it sent', async () => {
    const { service, sent, recorded } = summaries(subscription());
    expect(await service.send(job)).toBe('sent');
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe('traveller@example.org');
    expect(sent[0].text).toContain('Kazakhstan (KZ): no level');
    expect(sent[0].text).toContain('Astana (KZ-71): terrorism threat level: HIGH (orange)');
    expect(sent[0].text).toContain('Almaty (KZ-75): terrorism threat level: CRITICAL (red)');
    expect(recorded).toEqual([['email', 'sub_1', activeFrom, now]]);
  });

  it('keeps to the scheme its filter names', async () => {
    const { service, sent } = summaries(
      subscription({ filter: { areas: ['KZ'], schemeId: 'uk-terror', minRank: null, events: null } }),
    );
    await service.send(job);
    expect(sent[0].text).toContain('Kazakhstan (KZ): no level');
    expect(sent[0].text).not.toContain('Almaty');
  });

  it('mails it again under the same Message-ID when the worker died before recording it', async () => {
    const { service, sent, recorded } = summaries(subscription(), { crashOnRecord: 1 });
    await expect(service.send(job)).rejects.toThrow('the worker died');
    expect(await service.send(job)).toBe('sent');
    expect(sent.map((m) => m.messageId)).toEqual([sent[0].messageId, sent[0].messageId]);
    expect(recorded).toHaveLength(1);
  });

  it('records the summary settled, and does not throw, when the mail server refuses it for good (5xx)', async () => {
    const refusal = new MailError('550 5.1.1 no such mailbox', 550);
    const { service, recorded } = summaries(subscription(), { refusal });
    expect(await service.send(job)).toBe('refused');
    expect(recorded).toEqual([['email', 'sub_1', activeFrom, now]]);
  });

  it.each([
    ['a 4xx', new MailError('421 try again later', 421)],
    ['no server reached', new MailError('connect ECONNREFUSED', null)],
    ['not a mail error', new Error('the database went away')],
  ])('throws, for a retry, and records nothing when the failure is temporary: %s', async (_, refusal) => {
    const { service, recorded } = summaries(subscription(), { refusal });
    await expect(service.send(job)).rejects.toBe(refusal);
    expect(recorded).toEqual([]);
  });

  it('texts the summary, and records it settled when the SMSC refuses it for good', async () => {
    const sms = { channel: 'sms', subscriptionId: 'sms_1' } as const;
    const sent = summaries(subscription());
    expect(await sent.service.send(sms)).toBe('sent');
    expect(sent.texted).toHaveLength(1);
    expect(sent.recorded).toEqual([['sms', 'sms_1', activeFrom, now]]);

    const refused = summaries(subscription(), {
      refusal: new SmsSendError('invalid destination', false, 0x0b),
    });
    expect(await refused.service.send(sms)).toBe('refused');
    expect(refused.recorded).toEqual([['sms', 'sms_1', activeFrom, now]]);

    const throttled = new SmsSendError('throttled', true, 0x58);
    const retried = summaries(subscription(), { refusal: throttled });
    await expect(retried.service.send(sms)).rejects.toBe(throttled);
    expect(retried.recorded).toEqual([]);
  });

  it.each([
    ['its summary already sent', subscription({ tripSummarySentAt: activeFrom })],
    ['its trip not begun', subscription({ activeFrom: new Date('2022-01-14T00:00:00Z') })],
    ['its trip over', subscription({ activeUntil: now })],
    ['it unsubscribed', subscription({ status: 'unsubscribed' })],
    ['it erased', null],
  ])('does nothing when the summary is not owed: %s', async (_, row) => {
    const { service, sent, recorded } = summaries(row);
    expect(await service.send(job)).toBe('skipped');
    expect({ sent, recorded }).toEqual({ sent: [], recorded: [] });
  });
});

import { NotFoundException } from '@nestjs/common';
import { findArea } from '@tocsin/areas';
import { loadConfig } from '@tocsin/config';
import type { EffectiveLevel, LevelsService } from '@tocsin/declarations';
import type { MailMessage, MailTransport } from '@tocsin/mail';
import { BUILTIN_SCHEMES, SchemesService } from '@tocsin/schemes';
import type { SmsSubscriptionsService, SmsTransport } from '@tocsin/sms';
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

function summaries(row: EmailSubscription | null, { crashOnRecord = 0 } = {}) {
  const sent: MailMessage[] = [];
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
      sent.push(message);
      return { messageId: message.messageId!, via: 'smtp' };
    },
  } as unknown as MailTransport;
  const service = new TripSummaries(
    trips,
    emailSubscriptions,
    {} as SmsSubscriptionsService,
    levels,
    schemes,
    mail,
    {} as SmsTransport,
    new StoppedClock(now),
    loadConfig({ PUBLIC_URL: 'https://tocsin.example' }),
  );
  return { service, sent, recorded };
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

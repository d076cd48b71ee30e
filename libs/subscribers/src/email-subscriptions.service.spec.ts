import { AppConfig, Clock } from '@tocsin/config';
import type { AuditLogRepository } from '@tocsin/audit';
import type { MailTransport } from '@tocsin/mail';
import type { JobQueues } from '@tocsin/queue';
import type { EmailSubscription, EmailSubscriptionsRepository } from './email-subscriptions.repository';
import { EmailSubscriptionsService } from './email-subscriptions.service';
import type { FilterInputs } from './filter-input';
import type { InstanceSecrets } from './instance-secrets';
import { makeLinkToken } from './link-token';

const SECRET = 'link-secret';
// 08:00:05 in Almaty on 4 December 2026: a daily digest at 08:00 fell due five seconds ago.
const NOW = new Date('2026-12-04T03:00:05.000Z');
const DUE = new Date('2026-12-04T03:00:00.000Z');
const TOMORROW = new Date('2026-12-05T03:00:00.000Z');

const pending = (nextDigestAt: Date | null): EmailSubscription => ({
  id: 'sub_0193a2b4-0000-7000-8000-000000000001',
  email: 'desk@ngo.example',
  filter: { areas: ['KZ-75'], schemeId: null, minRank: null, events: null },
  exercises: false,
  status: 'pending',
  language: 'en',
  timeZone: 'Asia/Almaty',
  tokenVersion: 1,
  createdAt: DUE,
  updatedAt: DUE,
  confirmedAt: null,
  unsubscribedAt: null,
  confirmationSentAt: new Date(NOW.getTime() - 60_000),
  confirmationsToday: 1,
  activeFrom: null,
  activeUntil: null,
  tripSummarySentAt: null,
  delivery: 'daily',
  immediateMinRank: 3,
  digestHour: 8,
  digestWeekday: 1,
  nextDigestAt,
});

class FixedClock extends Clock {
  override now(): Date {
    return NOW;
  }
}

describe('EmailSubscriptionsService.confirm', () => {
  const confirmed = async (subscription: EmailSubscription) => {
    const updates: Partial<EmailSubscription>[] = [];
    const repository = {
      findById: async () => subscription,
      update: async (_id: string, changes: Partial<EmailSubscription>) => void updates.push(changes),
    };
    const service = new EmailSubscriptionsService(
      repository as unknown as EmailSubscriptionsRepository,
      {} as AuditLogRepository,
      {} as FilterInputs,
      { get: async () => SECRET } as unknown as InstanceSecrets,
      {} as MailTransport,
      {} as AppConfig,
      new FixedClock(),
      {} as JobQueues,
    );
    const answer = await service.confirm(makeLinkToken(SECRET, 'confirm', subscription.id, 1));
    return { answer, updates };
  };

  it('schedules a fresh digest when the stored one is already due, for the sweep may be settling it', async () => {
    // The sweep's job may have read the row pending and due at DUE: its compare-and-set on DUE must not
    // match the confirmed row and leave it with no digest at all.
    const { answer, updates } = await confirmed(pending(DUE));
    expect(updates).toEqual([expect.objectContaining({ status: 'confirmed', nextDigestAt: TOMORROW })]);
    expect(answer.nextDigestAt).toEqual(TOMORROW);
  });

  it('keeps a next digest still ahead, and starts one that lapsed while the sign-up waited', async () => {
    expect((await confirmed(pending(TOMORROW))).updates[0].nextDigestAt).toEqual(TOMORROW);
    expect((await confirmed(pending(null))).updates[0].nextDigestAt).toEqual(TOMORROW);
  });
});

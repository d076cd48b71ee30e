import type { AppConfig } from '@tocsin/config';
import { MailError, MailMessage, MailTransport } from '@tocsin/mail';
import { JOB } from '@tocsin/queue';
import { BUILTIN_SCHEMES, SchemesService } from '@tocsin/schemes';
import type { EmailSubscriptionsService } from '@tocsin/subscribers';
import { DigestService } from './digest.service';
import type { EmailBounces } from './email-bounces.service';
import type {
  DigestOutcome,
  DigestRead,
  DigestsRepository,
  DigestSubscription,
  HeldDelivery,
} from './digests.repository';
import { FakeQueues, StoppedClock } from './testing/fakes';
import { levelChangedEvent } from './testing/level-changed-event';

// 08:00 in Almaty (UTC+5) on 4 December 2026, and a few seconds after it.
const DUE = new Date('2026-12-04T03:00:00.000Z');
const NOW = new Date('2026-12-04T03:00:05.000Z');
const NEXT = new Date('2026-12-05T03:00:00.000Z');

/** The digests' rows in memory: one subscription and what it holds; `settle` as the repository does it. */
class FakeDigests {
  subscriptions = new Map<string, DigestSubscription>();
  heldRows = new Map<string, HeldDelivery[]>();
  settled: { subscriptionId: string; ids: string[]; outcome: DigestOutcome; next: Date | null }[] = [];
  /** Throws on the next settle, as a worker dying between the mail and the commit would leave things. */
  crashOnSettle = false;

  async due(now: Date) {
    return [...this.subscriptions.values()]
      .filter((s) => s.nextDigestAt && s.nextDigestAt <= now)
      .map((s) => ({ subscriptionId: s.id, dueAt: s.nextDigestAt! }));
  }
  async dueStrandedHeld(now: Date) {
    const stranded = [...this.subscriptions.values()].filter(
      (s) => !s.nextDigestAt && this.heldRows.get(s.id)?.length,
    );
    for (const s of stranded) s.nextDigestAt = now;
    return stranded.map((s) => s.id);
  }
  async subscription(id: string) {
    return this.subscriptions.get(id) ?? null;
  }
  async held(id: string) {
    return this.heldRows.get(id) ?? [];
  }
  async settle(
    { subscriptionId, status, dueAt }: DigestRead,
    ids: string[],
    outcome: DigestOutcome,
    next: Date | null,
  ) {
    if (this.crashOnSettle) {
      this.crashOnSettle = false;
      throw new Error('worker died');
    }
    this.settled.push({ subscriptionId, ids, outcome, next });
    this.heldRows.set(
      subscriptionId,
      (this.heldRows.get(subscriptionId) ?? []).filter((d) => !ids.includes(d.id)),
    );
    const subscription = this.subscriptions.get(subscriptionId)!;
    if (subscription.nextDigestAt?.getTime() !== dueAt.getTime() || subscription.status !== status)
      return false;
    subscription.nextDigestAt = next;
    return true;
  }
}

class FakeMail {
  readonly sent: MailMessage[] = [];
  /** Reply codes to refuse the next sends with, in turn. */
  refusals: number[] = [];
  async send(message: MailMessage) {
    const code = this.refusals.shift();
    if (code !== undefined) throw new MailError(`${code} refused`, code);
    this.sent.push(message);
    return { messageId: message.messageId ?? '', via: 'smtp' };
  }
}

const subscription = (changes: Partial<DigestSubscription> = {}): DigestSubscription => ({
  id: 'sub_1',
  address: 'desk@ngo.example',
  status: 'confirmed',
  tokenVersion: 1,
  filter: { areas: ['KZ'], schemeId: null, minRank: null, events: null },
  language: 'en',
  timeZone: 'Asia/Almaty',
  delivery: 'daily',
  immediateMinRank: 3,
  digestHour: 8,
  digestWeekday: 1,
  nextDigestAt: DUE,
  ...changes,
});

describe('DigestService', () => {
  let digests: FakeDigests;
  let mail: FakeMail;
  let queues: FakeQueues;
  let service: DigestService;
  let clock: StoppedClock;
  /** The subscriptions the bounce rule was asked to look at, in turn. */
  let reviewed: string[][];
  const bounces = { reviewBounced: async (ids: string[]) => void reviewed.push(ids) };
  const job = { subscriptionId: 'sub_1', dueAt: DUE.toISOString() };

  beforeEach(() => {
    digests = new FakeDigests();
    reviewed = [];
    mail = new FakeMail();
    queues = new FakeQueues();
    digests.subscriptions.set('sub_1', subscription());
    digests.heldRows.set('sub_1', [
      { id: 'dlv_1', eventId: 'evt_1', payload: levelChangedEvent('evt_1', ['KZ-75']) },
      { id: 'dlv_2', eventId: 'evt_2', payload: levelChangedEvent('evt_2', ['KZ-19']) },
    ]);
    const schemes = { get: async (id: string) => BUILTIN_SCHEMES.find((s) => s.id === id) };
    const links = {
      linksFor: async () => ({ manageUrl: 'https://a.example/m', unsubscribeUrl: 'https://a.example/u' }),
    };
    const config = { publicUrl: 'https://a.example', defaultLanguage: 'en', digestSweepSeconds: 60 };
    service = new DigestService(
      digests as unknown as DigestsRepository,
      links as unknown as EmailSubscriptionsService,
      schemes as unknown as SchemesService,
      mail as unknown as MailTransport,
      bounces as unknown as EmailBounces,
      queues.port,
      (clock = new StoppedClock(NOW)),
      config as unknown as AppConfig,
    );
  });

  it('enqueues one job per due subscription, named by it, once however many sweeps and due instants', async () => {
    digests.subscriptions.set('sub_2', subscription({ id: 'sub_2', nextDigestAt: NEXT }));
    expect(await service.sweep()).toBe(1);
    expect(await service.sweep()).toBe(1);
    // The settings moved the digest while its job waits on a slow mail server: no second job for it.
    digests.subscriptions.get('sub_1')!.nextDigestAt = new Date(DUE.getTime() + 1000);
    expect(await service.sweep()).toBe(1);
    expect([...queues.jobs.keys()]).toEqual(['digest.sub_1']);
    expect(queues.of(JOB.sendDigest)).toEqual([{ data: job, delayMs: 0 }]);
  });

  it('sends the digest the row says is due when a finished job is run again with its first data', async () => {
    expect(await service.send(job)).toBe('sent');
    // A day later the sweep finds it due at NEXT; BullMQ runs the finished job again, its dueAt still DUE.
    clock.at = new Date(NEXT.getTime() + 5000);
    digests.heldRows.set('sub_1', [
      { id: 'dlv_3', eventId: 'evt_3', payload: levelChangedEvent('evt_3', ['KZ-75']) },
    ]);
    expect(await service.send(job)).toBe('sent');
    expect(mail.sent[1].headers).toMatchObject({ 'X-Tocsin-Digest-Due': NEXT.toISOString() });
    expect(mail.sent[1].messageId).not.toBe(mail.sent[0].messageId);
    expect(digests.settled[1]).toMatchObject({ ids: ['dlv_3'], next: new Date('2026-12-06T03:00:00.000Z') });
  });

  it('does nothing for a job run before its row is due', async () => {
    expect(await service.send(job)).toBe('sent');
    expect(await service.send({ subscriptionId: 'sub_1', dueAt: NEXT.toISOString() })).toBe('skipped');
    expect(mail.sent).toHaveLength(1);
  });

  it('mails what is held in one email, then records it delivered with the next digest', async () => {
    expect(await service.send(job)).toBe('sent');
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]).toMatchObject({
      to: 'desk@ngo.example',
      subject: 'Tocsin digest: 2 threat-level changes',
    });
    expect(digests.settled).toEqual([
      {
        subscriptionId: 'sub_1',
        ids: ['dlv_1', 'dlv_2'],
        outcome: { status: 'delivered', at: NOW },
        next: NEXT,
      },
    ]);
    expect(await service.send(job)).toBe('skipped');
    expect(mail.sent).toHaveLength(1);
  });

  it('sends again, with the same Message-ID, when the worker died between the mail and the commit', async () => {
    digests.crashOnSettle = true;
    await expect(service.send(job)).rejects.toThrow('worker died');
    expect(digests.subscriptions.get('sub_1')?.nextDigestAt).toEqual(DUE);
    expect(await service.send(job)).toBe('sent');
    expect(mail.sent).toHaveLength(2);
    expect(mail.sent[1].messageId).toBe(mail.sent[0].messageId);
    expect(digests.settled).toHaveLength(1);
  });

  it('sends nothing when nothing is held, and schedules the next', async () => {
    digests.heldRows.set('sub_1', []);
    expect(await service.send(job)).toBe('nothing-held');
    expect(mail.sent).toEqual([]);
    expect(digests.subscriptions.get('sub_1')?.nextDigestAt).toEqual(NEXT);
  });

  it('does nothing for a job whose digest is no longer due then (the settings moved it)', async () => {
    digests.subscriptions.set('sub_1', subscription({ nextDigestAt: NEXT }));
    expect(await service.send(job)).toBe('skipped');
    expect(mail.sent).toEqual([]);
    expect(digests.settled).toEqual([]);
  });

  it('skips what an unsubscribed or pending subscription held and schedules no more; a suspended one keeps its schedule', async () => {
    digests.subscriptions.set('sub_1', subscription({ status: 'unsubscribed' }));
    expect(await service.send(job)).toBe('not-sent');
    expect(digests.settled[0]).toMatchObject({
      ids: ['dlv_1', 'dlv_2'],
      outcome: { status: 'skipped', reason: 'not sent: the subscription is unsubscribed' },
      next: null,
    });
    digests.subscriptions.set('sub_1', subscription({ status: 'suspended' }));
    expect(await service.send(job)).toBe('not-sent');
    expect(digests.settled[1].next).toEqual(NEXT);
    // Never confirmed: no schedule (confirming sets one).
    digests.subscriptions.set('sub_1', subscription({ status: 'pending' }));
    expect(await service.send(job)).toBe('not-sent');
    expect(digests.settled[2].next).toBeNull();
    expect(mail.sent).toEqual([]);
  });

  it('sends what an ended trip held in its last digest, and schedules no more', async () => {
    digests.subscriptions.set('sub_1', subscription({ status: 'ended' }));
    expect(await service.send(job)).toBe('sent');
    expect(mail.sent).toHaveLength(1);
    expect(digests.settled).toEqual([
      {
        subscriptionId: 'sub_1',
        ids: ['dlv_1', 'dlv_2'],
        outcome: { status: 'delivered', at: NOW },
        next: null,
      },
    ]);
    digests.heldRows.set('sub_1', []);
    digests.subscriptions.set('sub_1', subscription({ status: 'ended' }));
    expect(await service.send(job)).toBe('nothing-held');
    expect(digests.subscriptions.get('sub_1')?.nextDigestAt).toBeNull();
  });

  it('sends a delivery held after the last digest scheduled none: the next sweep makes one due', async () => {
    digests.subscriptions.set('sub_1', subscription({ delivery: 'immediate' }));
    expect(await service.send(job)).toBe('sent');
    expect(digests.subscriptions.get('sub_1')?.nextDigestAt).toBeNull();
    // A fan-out page that read the subscription still daily inserts its held row now.
    digests.heldRows.set('sub_1', [
      { id: 'dlv_3', eventId: 'evt_3', payload: levelChangedEvent('evt_3', ['KZ-75']) },
    ]);
    expect(await service.sweep()).toBe(1);
    expect(await service.send(job)).toBe('sent');
    expect(digests.settled[1]).toMatchObject({ ids: ['dlv_3'], next: null });
    expect(await service.sweep()).toBe(0);
  });

  it('sends what is held once more after going back to immediate, and schedules no more', async () => {
    digests.subscriptions.set('sub_1', subscription({ delivery: 'immediate' }));
    expect(await service.send(job)).toBe('sent');
    expect(digests.subscriptions.get('sub_1')?.nextDigestAt).toBeNull();
  });

  it('leaves the digest due when the server refuses for now, and fails it when it refuses for good', async () => {
    mail.refusals = [451];
    await expect(service.send(job)).rejects.toThrow('451 refused');
    expect(digests.settled).toEqual([]);
    mail.refusals = [550];
    expect(await service.send(job)).toBe('refused');
    // One refused email: the bounce rule looks at the address once, as after an alert's.
    expect(reviewed).toEqual([['sub_1']]);
    expect(digests.settled[0]).toMatchObject({
      ids: ['dlv_1', 'dlv_2'],
      outcome: { status: 'failed', statusCode: 550 },
      next: NEXT,
    });
  });
});

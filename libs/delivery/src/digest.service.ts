import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { uiLanguageOf } from '@tocsin/i18n';
import { MailError, MailTransport } from '@tocsin/mail';
import { JOB, JobData, JobQueues, KeptJobScheduler } from '@tocsin/queue';
import { SchemesService, StoredScheme } from '@tocsin/schemes';
import { digestZoneOf, EmailSubscriptionsService, nextDigestAt } from '@tocsin/subscribers';
import { digestEmail } from './digest-email';
import { DigestsRepository, DueDigest } from './digests.repository';
import { isPermanentSmtpFailure } from './email-bounces';
import { EmailBounces } from './email-bounces.service';
import { changesFor } from './subscriber-changes';

/** Due digests read and enqueued at once; a sweep reads pages until none is left, up to MAX_PAGES. */
const PAGE = 1000;
/** 100,000 digests a sweep at most (a whole zone's 08:00 on a large install): the next sweep takes the rest. */
const MAX_PAGES = 100;

/** What one digest job came to. */
export type DigestResult = 'sent' | 'refused' | 'nothing-held' | 'not-sent' | 'skipped';

/**
 * Daily and weekly digests (DESIGN.md §5.6). A BullMQ job scheduler sweeps every DIGEST_SWEEP_SECONDS for
 * subscriptions whose `next_digest_at` has come and enqueues one job per subscription (its id the
 * subscription's: one digest of it runs at a time); the job mails what is held in one email and, once the mail server took it, records
 * the deliveries delivered and the next due instant in one transaction. The row says a digest is owed until
 * then: a worker that dies before recording it leaves the row due, and the next sweep runs it again (with the
 * same Message-ID, so a receiver can tell the repeat).
 */
@Injectable()
export class DigestService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DigestService.name);
  private readonly scheduler: KeptJobScheduler;
  private readonly messageIdHost: string;

  constructor(
    private readonly digests: DigestsRepository,
    private readonly subscriptions: EmailSubscriptionsService,
    private readonly schemes: SchemesService,
    private readonly mail: MailTransport,
    private readonly bounces: EmailBounces,
    private readonly queues: JobQueues,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.messageIdHost = new URL(config.publicUrl).hostname;
    this.scheduler = new KeptJobScheduler(
      queues,
      JOB.sweepDigests,
      config.digestSweepSeconds * 1000,
      (error) => this.logger.warn(`could not schedule the digests' sweep: ${describeError(error)}`),
    );
  }

  /** Puts the sweep's scheduler in place, and keeps it there (KeptJobScheduler). */
  async start(): Promise<void> {
    await this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler.stop();
  }

  /** Enqueues the digests due now, page by page; answers how many. */
  async sweep(): Promise<number> {
    const now = this.clock.now();
    for (const id of await this.digests.dueStrandedHeld(now))
      this.logger.warn(`subscription ${id} held a delivery with no digest due: its digest is due now`);
    let count = 0;
    let after: DueDigest | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const due = await this.digests.due(now, PAGE, after);
      await this.queues.addBulk(
        JOB.sendDigest,
        due.map((d) => ({ data: { subscriptionId: d.subscriptionId, dueAt: d.dueAt.toISOString() } })),
      );
      count += due.length;
      if (due.length < PAGE) break;
      after = due[due.length - 1];
    }
    return count;
  }

  /**
   * Sends the subscription's digest, if its row says one is due by now. The due instant is the row's, not the
   * job's `dueAt` (what the sweep found, kept for the log): the job's id is the subscription's, so that two
   * digests of one subscription never run at once, and a finished job that a later sweep runs again keeps
   * the data of its first run. A subscription whose trip ended gets its last digest (what was held within
   * the trip; the trip clock made it due) and no next one. Any other not confirmed gets none: what it held
   * is skipped, and an unsubscribed or pending one has no next digest (a disabled or suspended one keeps its
   * schedule for when an admin enables or resumes it). Nothing held: no email, the
   * next digest is scheduled. A mail server that refuses for now throws, for BullMQ (then the sweeps) to try
   * again; one that refuses for good (5xx) fails what was held, as an alert's delivery fails, and the next
   * digest is scheduled: retrying a dead address every sweep would go on for ever.
   */
  async send({ subscriptionId }: JobData['send-digest']): Promise<DigestResult> {
    const subscription = await this.digests.subscription(subscriptionId);
    const dueAt = subscription?.nextDigestAt;
    if (!subscription || !dueAt || dueAt > this.clock.now()) return 'skipped';
    const due = dueAt.toISOString();
    const zone = digestZoneOf(subscription.timeZone, subscription.filter.areas);
    // An ended trip's last digest: what was held within the trip is sent, and none is scheduled after it.
    const ended = subscription.status === 'ended';
    // After now, not after the due instant: a worker away for days sends one digest, not one per day missed.
    const next = ended ? null : nextDigestAt(subscription, zone, this.clock.now());
    const held = await this.digests.held(subscriptionId);
    const ids = held.map((d) => d.id);
    const read = { subscriptionId, status: subscription.status, dueAt };
    if (!ended && subscription.status !== 'confirmed') {
      const reason = `not sent: the subscription is ${subscription.status}`;
      await this.digests.settle(
        read,
        ids,
        { status: 'skipped', at: this.clock.now(), reason },
        // No schedule for one that may never come back (confirming or signing up again sets one).
        ['unsubscribed', 'pending'].includes(subscription.status) ? null : next,
      );
      return 'not-sent';
    }
    if (!held.length) {
      await this.digests.settle(read, [], { status: 'delivered', at: this.clock.now() }, next);
      return 'nothing-held';
    }
    const schemes = new Map<string, Promise<StoredScheme>>();
    const schemeOf = (id: string) => {
      if (!schemes.has(id)) schemes.set(id, this.schemes.get(id));
      return schemes.get(id)!;
    };
    const items = await Promise.all(
      held.map(async ({ payload }) => ({
        event: payload,
        changes: changesFor(subscription.filter, payload),
        scheme: await schemeOf(payload.data.declaration.scheme),
      })),
    );
    const links = await this.subscriptions.linksFor(subscription);
    const email = digestEmail({
      items,
      language: subscription.language,
      fallbackLanguage: uiLanguageOf(this.config.defaultLanguage, 'en'),
      timeZone: subscription.timeZone,
      publicUrl: this.config.publicUrl,
      subscriptionId,
      dueAt,
      manageUrl: links.manageUrl,
      unsubscribeUrl: links.unsubscribeUrl,
      messageIdHost: this.messageIdHost,
    });
    try {
      await this.mail.send({ to: subscription.address, ...email });
    } catch (error) {
      if (!(error instanceof MailError) || error.transient) throw error;
      const outcome = {
        status: 'failed' as const,
        at: this.clock.now(),
        reason: describeError(error),
        statusCode: error.responseCode,
      };
      await this.digests.settle(read, ids, outcome, next);
      this.logger.warn(`digest of ${subscriptionId} due ${due} refused: ${outcome.reason}`);
      // One refused email, as an alert's is: the third in a row suspends the address.
      if (isPermanentSmtpFailure(outcome.statusCode)) await this.bounces.reviewBounced([subscriptionId]);
      return 'refused';
    }
    await this.digests.settle(read, ids, { status: 'delivered', at: this.clock.now() }, next);
    this.logger.log(`digest of ${subscriptionId} due ${due}: ${ids.length} deliveries in one email`);
    return 'sent';
  }
}

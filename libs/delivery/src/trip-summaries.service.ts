import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { EVERYWHERE } from '@tocsin/areas';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { ChangedLevel, EffectiveLevel, LevelsService } from '@tocsin/declarations';
import { UiLanguage, uiLanguageOf } from '@tocsin/i18n';
import { MailError, MailTransport } from '@tocsin/mail';
import { JobData } from '@tocsin/queue';
import { Scheme, SchemesService } from '@tocsin/schemes';
import { SmsSendError, SmsSubscriptionsService, SmsTransport } from '@tocsin/sms';
import {
  EmailSubscriptionsService,
  SubscriptionFilter,
  TripState,
  tripSummaryOwed,
} from '@tocsin/subscribers';
import { TripAreaSituation, tripSummaryEmail } from './trip-summary-email';
import { tripSummarySms } from './trip-summary-sms';
import { TripsRepository } from './trips.repository';

/** `refused`: the server refused it for good (an SMTP 5xx, a permanent SMSC status); settled, not retried. */
export type TripSummaryOutcome = 'sent' | 'refused' | 'skipped';

const changedLevel = (level: EffectiveLevel): { schemeId: string; level: ChangedLevel } => ({
  schemeId: level.schemeId,
  level: { ...level.level, declarationId: level.declarationId },
});

/**
 * A trip's one "current situation" message (DESIGN.md §5.6), by email or SMS. The row is the truth: a job
 * that finds the summary no longer owed (sent, the trip moved or over, unsubscribed) does nothing. It is
 * recorded sent after it went out, so a crash in between sends it again, by email under the same Message-ID.
 */
@Injectable()
export class TripSummaries {
  private readonly logger = new Logger(TripSummaries.name);
  private readonly fallbackLanguage: UiLanguage;
  private readonly publicUrl: string;
  private readonly messageIdHost: string;

  constructor(
    private readonly trips: TripsRepository,
    private readonly emailSubscriptions: EmailSubscriptionsService,
    private readonly smsSubscriptions: SmsSubscriptionsService,
    private readonly levels: LevelsService,
    private readonly schemes: SchemesService,
    private readonly mail: MailTransport,
    private readonly sms: SmsTransport,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.fallbackLanguage = uiLanguageOf(config.defaultLanguage, 'en');
    this.publicUrl = config.publicUrl.replace(/\/+$/, '');
    this.messageIdHost = new URL(config.publicUrl).hostname;
  }

  async send({ channel, subscriptionId }: JobData['send-trip-summary']): Promise<TripSummaryOutcome> {
    return channel === 'email' ? this.sendEmail(subscriptionId) : this.sendSms(subscriptionId);
  }

  private async sendEmail(id: string): Promise<TripSummaryOutcome> {
    const now = this.clock.now();
    const subscription = await orNull(this.emailSubscriptions.get(id));
    if (!subscription || !owed(subscription, now)) return 'skipped';
    const { situation, schemes } = await this.situationOf(subscription.filter, now);
    const links = await this.emailSubscriptions.linksFor(subscription);
    const email = tripSummaryEmail({
      situation,
      schemes,
      at: now,
      activeFrom: subscription.activeFrom,
      activeUntil: subscription.activeUntil,
      language: subscription.language,
      fallbackLanguage: this.fallbackLanguage,
      timeZone: subscription.timeZone,
      publicUrl: this.publicUrl,
      subscriptionId: subscription.id,
      manageUrl: links.manageUrl,
      unsubscribeUrl: links.unsubscribeUrl,
      messageIdHost: this.messageIdHost,
    });
    // A temporary failure throws: the job's own retries, then the trip clock's next sweep, try again. A
    // permanent refusal settles the summary: the same email to the same address would be refused all trip.
    try {
      await this.mail.send({ to: subscription.email, ...email });
    } catch (error) {
      if (!(error instanceof MailError) || error.transient) throw error;
      return this.refused('email', id, subscription.activeFrom, now, error);
    }
    await this.trips.markSummarySent('email', id, subscription.activeFrom, now);
    this.logger.log(`trip summary sent to subscription ${id}`);
    return 'sent';
  }

  private async sendSms(id: string): Promise<TripSummaryOutcome> {
    const now = this.clock.now();
    const subscription = await orNull(this.smsSubscriptions.get(id));
    if (!subscription || !owed(subscription, now)) return 'skipped';
    const { situation, schemes } = await this.situationOf(subscription.filter, now);
    const text = tripSummarySms({
      situation,
      schemes,
      language: subscription.language,
      fallbackLanguage: this.fallbackLanguage,
      publicUrl: this.publicUrl,
    });
    try {
      await this.sms.submit(subscription.phone, text);
    } catch (error) {
      if (!(error instanceof SmsSendError) || error.transient) throw error;
      return this.refused('sms', id, subscription.activeFrom, now, error);
    }
    await this.trips.markSummarySent('sms', id, subscription.activeFrom, now);
    this.logger.log(`trip summary texted to subscription ${id}`);
    return 'sent';
  }

  /** Records a summary refused for good as settled, so neither BullMQ nor the trip clock sends it again. */
  private async refused(
    channel: JobData['send-trip-summary']['channel'],
    id: string,
    activeFrom: Date,
    now: Date,
    error: Error,
  ): Promise<TripSummaryOutcome> {
    await this.trips.markSummarySent(channel, id, activeFrom, now);
    this.logger.warn(
      `trip summary to subscription ${id} refused for good (${channel}): ${describeError(error)}`,
    );
    return 'refused';
  }

  /**
   * Every area of `filter` with its levels at `at` (in its scheme only, if it names one): a country with its
   * subdivisions that have levels of their own, `*` as every area that has a level (or, with none, itself).
   */
  private async situationOf(
    filter: SubscriptionFilter,
    at: Date,
  ): Promise<{ situation: TripAreaSituation[]; schemes: Map<string, Scheme> }> {
    const inScheme = (level: EffectiveLevel) => !filter.schemeId || level.schemeId === filter.schemeId;
    const situation: TripAreaSituation[] = [];
    const seen = new Set<string>();
    const add = (areaCode: string, levels: EffectiveLevel[]) => {
      if (seen.has(areaCode)) return;
      seen.add(areaCode);
      situation.push({ areaCode, levels: levels.filter(inScheme).map(changedLevel) });
    };
    for (const code of filter.areas) {
      if (code === EVERYWHERE) {
        const { items } = await this.levels.all(at);
        const byArea = new Map<string, EffectiveLevel[]>();
        for (const { area, level } of items) byArea.set(area.code, [...(byArea.get(area.code) ?? []), level]);
        const kept = [...byArea].filter(([, levels]) => levels.some(inScheme));
        if (!kept.length) add(EVERYWHERE, []);
        for (const [areaCode, levels] of kept) add(areaCode, levels);
        continue;
      }
      const { area, levels, subdivisions } = await this.levels.of(code, at);
      add(area.code, levels);
      for (const subdivision of subdivisions)
        if (subdivision.levels.some(inScheme)) add(subdivision.area.code, subdivision.levels);
    }
    const ids = [...new Set(situation.flatMap((s) => s.levels.map((l) => l.schemeId)))];
    const schemes = new Map<string, Scheme>();
    for (const schemeId of ids) {
      const scheme = await orNull(this.schemes.get(schemeId));
      if (scheme) schemes.set(schemeId, scheme);
    }
    return { situation, schemes };
  }
}

/** Owed, with the trip's start it is owed for. */
function owed<S extends TripState>(s: S, now: Date): s is S & { activeFrom: Date } {
  return tripSummaryOwed(s, now);
}

/** The value, or null for a 404 (a subscription erased, a scheme removed, since the job was queued). */
async function orNull<T>(value: Promise<T>): Promise<T | null> {
  try {
    return await value;
  } catch (error) {
    if (error instanceof NotFoundException) return null;
    throw error;
  }
}

import {
  BadRequestException,
  ConflictException,
  GoneException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { AuditActor, AuditLogRepository, SYSTEM_ACTOR } from '@tocsin/audit';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { Positioned } from '@tocsin/database';
import {
  canonicalLanguage,
  canonicalTimeZone,
  negotiateLanguage,
  UiLanguage,
  uiLanguageOf,
} from '@tocsin/i18n';
import { MailTransport } from '@tocsin/mail';
import { JOB, JobQueues } from '@tocsin/queue';
import { uuidv7 } from 'uuidv7';
import {
  EmailSubscription,
  EmailSubscriptionQuery,
  EmailSubscriptionsRepository,
  EmailSubscriptionStatus,
} from './email-subscriptions.repository';
import {
  DeliverySettings,
  DIGEST_DELIVERIES,
  digestZoneOf,
  IMMEDIATE_DELIVERY,
  nextDigestAt,
} from './digest-schedule';
import { FilterInput, FilterInputs } from './filter-input';
import { InstanceSecrets } from './instance-secrets';
import { SubscriptionFilter } from './subscription-filter';
import { linkTokenMatches, makeLinkToken, subscriptionIdOf, TokenPurpose } from './link-token';
import { CONFIRMATION_VALID_MS, signupMailAllowance } from './signup-limits';
import { alreadySubscribedEmail, confirmationEmail, SubscriberEmail } from './subscriber-emails';
import { readerOf, signUpLanguage } from './subscriber-language';
import { requestedTrip, requestedTripChange } from './trip-request';
import { movedTrip, TripWindow, TripWindowInput, tripSummaryOwed } from './trip-window';

const LINK_SECRET = 'email-link-hmac';

/** The links every email to a subscriber carries. */
export interface SubscriberLinks {
  unsubscribeUrl: string;
  manageUrl: string;
}

/** How a subscriber wants to read: a canonical BCP 47 tag and an IANA zone (null: the area's). */
export interface ReadingSettings {
  language: string;
  timeZone: string | null;
}

/** What a sign-up asks for beyond its filter; left out, the language comes from `acceptLanguage`. */
export interface SignUpSettings extends Partial<ReadingSettings> {
  /** The sign-up request's Accept-Language header. */
  acceptLanguage?: string;
  /** Also receive exercises and tests; default false. */
  exercises?: boolean;
  /** A trip (DESIGN.md §5.6): alerts only for events in [activeFrom, activeUntil); absent: always. */
  trip?: TripWindowInput;
  /** Immediate (the default), or a daily or weekly digest of the changes below `immediateMinRank`. */
  delivery?: Partial<DeliverySettings>;
}

/** What a sign-up asked for, in canonical form. */
export interface SignUpWishes extends ReadingSettings, TripWindow, DeliverySettings {
  exercises: boolean;
}

/** A change of preferences through the manage link; absent fields stay as they are. */
export interface PreferenceSettings extends Partial<ReadingSettings> {
  exercises?: boolean;
  /** A bound absent stays as it is; null opens it. */
  trip?: TripWindowInput;
  /** Fields absent stay as they are. */
  delivery?: Partial<DeliverySettings>;
}

/**
 * Email subscriptions with double opt-in. Sign-up answers the same whatever the address's state, and mails
 * in the background, so neither the answer nor its timing tells whether an address is known.
 */
@Injectable()
export class EmailSubscriptionsService {
  private readonly logger = new Logger(EmailSubscriptionsService.name);

  constructor(
    private readonly repository: EmailSubscriptionsRepository,
    private readonly audit: AuditLogRepository,
    private readonly filters: FilterInputs,
    private readonly secrets: InstanceSecrets,
    private readonly mail: MailTransport,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly queues: JobQueues,
  ) {}

  /**
   * Validates the filter (so bad input is an error), then does what the address's state calls for. Answers
   * the language and zone this sign-up asked for (an address already subscribed keeps its own).
   */
  async signUp(
    emailInput: string,
    filterInput: FilterInput,
    settings: SignUpSettings = {},
  ): Promise<SignUpWishes> {
    const filter = await this.filters.normalize(filterInput);
    const wished = {
      ...checkedSettings({
        language: settings.language ?? signUpLanguage(settings.acceptLanguage, this.config.defaultLanguage),
        timeZone: settings.timeZone ?? null,
      }),
      exercises: settings.exercises ?? false,
      ...requestedTrip(settings.trip ?? {}, this.clock.now()),
      ...checkedDelivery({ ...IMMEDIATE_DELIVERY, ...settings.delivery }),
    };
    await this.record(normalizeEmail(emailInput), filter, wished);
    return wished;
  }

  private async record(email: string, filter: SubscriptionFilter, wished: SignUpWishes): Promise<void> {
    const now = this.clock.now();
    let subscription = await this.repository.findByEmail(email);
    if (!subscription) {
      const fresh: EmailSubscription = {
        id: `sub_${uuidv7()}`,
        email,
        filter,
        status: 'pending',
        ...wished,
        tokenVersion: 1,
        createdAt: now,
        updatedAt: now,
        confirmedAt: null,
        unsubscribedAt: null,
        confirmationSentAt: null,
        confirmationsToday: 0,
        tripSummarySentAt: null,
        nextDigestAt: digestDueAfter(wished, filter, now),
      };
      subscription = (await this.repository.insert(fresh)) ? fresh : await this.repository.findByEmail(email);
      if (!subscription) return;
    } else if (['pending', 'unsubscribed', 'suspended', 'ended'].includes(subscription.status)) {
      // The latest wishes count; coming back after unsubscribing voids every old link. A suspended address
      // signing up again proves it works by confirming, as a new one would; so does an ended trip's for its
      // next trip (a stranger must not restart alerts to it), whose summary is owed afresh.
      const tokenVersion =
        subscription.status === 'unsubscribed' ? subscription.tokenVersion + 1 : subscription.tokenVersion;
      await this.repository.update(subscription.id, {
        filter,
        status: 'pending',
        ...wished,
        tripSummarySentAt: null,
        nextDigestAt: digestDueAfter(wished, filter, now),
        tokenVersion,
        updatedAt: now,
      });
      subscription = {
        ...subscription,
        filter,
        status: 'pending',
        ...wished,
        tripSummarySentAt: null,
        nextDigestAt: digestDueAfter(wished, filter, now),
        tokenVersion,
      };
    }
    if (subscription.status === 'disabled') return;

    // The per-address limit: silent, so the answer stays the same; claimed, so two racing sign-ups mail once.
    const allowance = signupMailAllowance(subscription, now);
    if (!allowance.allowed) return;
    const claimed = await this.repository.claimMailSlot(
      subscription.id,
      subscription.confirmationSentAt,
      now,
      allowance.confirmationsToday,
    );
    if (claimed) void this.mailInBackground(subscription);
  }

  /** Idempotent: confirming twice still says "confirmed". */
  async confirm(token: string): Promise<EmailSubscription> {
    const subscription = await this.peekConfirm(token);
    if (subscription.status === 'confirmed') return subscription;
    const now = this.clock.now();
    // A digest's schedule lapses while a sign-up waits (the sweep stops it): it starts again now. One already
    // due is not kept: the sweep's job may have read the row pending and be about to settle that instant.
    const stored = subscription.nextDigestAt;
    const nextDigest =
      stored && stored > now ? stored : digestDueAfter(subscription, subscription.filter, now);
    await this.repository.update(subscription.id, {
      status: 'confirmed',
      confirmedAt: now,
      updatedAt: now,
      nextDigestAt: nextDigest,
    });
    this.logger.log(`subscription ${subscription.id} confirmed`);
    const confirmed = {
      ...subscription,
      status: 'confirmed' as const,
      confirmedAt: now,
      nextDigestAt: nextDigest,
    };
    // A trip already begun: its summary now, not at the trip clock's next sweep (which would send it too).
    if (tripSummaryOwed(confirmed, now)) void this.enqueueTripSummary(confirmed.id);
    return confirmed;
  }

  private async enqueueTripSummary(subscriptionId: string): Promise<void> {
    try {
      await this.queues.add(JOB.sendTripSummary, { channel: 'email', subscriptionId });
    } catch (error) {
      // The row still says it is owed: the trip clock's sweep enqueues it.
      this.logger.warn(`trip summary of ${subscriptionId} not queued: ${describeError(error)}`);
    }
  }

  /**
   * Checks a confirmation link without acting on it (the page with the Confirm button): a forged link is a
   * 404, a used-up or expired one a 410, the same answers confirming would give.
   */
  async peekConfirm(token: string): Promise<EmailSubscription> {
    const subscription = await this.byToken(token, 'confirm');
    if (subscription.status === 'confirmed') return subscription;
    if (subscription.status !== 'pending')
      throw new GoneException('This confirmation link is no longer valid.');
    const sentAt = subscription.confirmationSentAt?.getTime() ?? 0;
    if (this.clock.now().getTime() - sentAt > CONFIRMATION_VALID_MS) {
      throw new GoneException('This confirmation link has expired; sign up again to get a new one.');
    }
    return subscription;
  }

  /** Idempotent: a second click on an unsubscribe link still says "unsubscribed". */
  async unsubscribe(token: string): Promise<EmailSubscription> {
    const subscription = await this.byToken(token, 'unsubscribe');
    if (subscription.status === 'unsubscribed') return subscription;
    const now = this.clock.now();
    await this.repository.update(subscription.id, {
      status: 'unsubscribed',
      unsubscribedAt: now,
      updatedAt: now,
      // What its digest holds is settled (skipped, not sent) by the next sweep.
      ...(subscription.nextDigestAt ? { nextDigestAt: now } : {}),
    });
    this.logger.log(`subscription ${subscription.id} unsubscribed`);
    return { ...subscription, status: 'unsubscribed', unsubscribedAt: now };
  }

  /** Checks an unsubscribe link without acting on it (the page that asks "unsubscribe?"). */
  async peekUnsubscribe(token: string): Promise<EmailSubscription> {
    return this.byToken(token, 'unsubscribe');
  }

  /** An ended trip's page still opens: it says the trip is over, and when. */
  async preferences(token: string): Promise<EmailSubscription> {
    const subscription = await this.byToken(token, 'manage');
    return subscription.status === 'ended' ? subscription : this.activeByManageToken(token);
  }

  /**
   * Replaces the filter; the language, the zone and the exercises opt-in change only when given (a null zone:
   * the area's).
   */
  async updatePreferences(
    token: string,
    filterInput: FilterInput,
    settings: PreferenceSettings = {},
  ): Promise<EmailSubscription> {
    const subscription = await this.activeByManageToken(token);
    const filter = await this.filters.normalize(filterInput);
    const now = this.clock.now();
    const checked = checkedSettings({
      language: settings.language ?? subscription.language,
      timeZone: settings.timeZone === undefined ? subscription.timeZone : settings.timeZone,
    });
    const exercises = settings.exercises ?? subscription.exercises;
    const trip = movedTrip(subscription, requestedTripChange(subscription, settings.trip ?? {}, now));
    const delivery = checkedDelivery({ ...deliveryOf(subscription), ...settings.delivery });
    const nextDigest = rescheduledDigest(subscription, { ...delivery, ...checked, filter }, now);
    const changes = {
      filter,
      ...checked,
      exercises,
      ...trip,
      ...delivery,
      nextDigestAt: nextDigest,
      updatedAt: now,
    };
    await this.repository.update(subscription.id, changes);
    const updated = { ...subscription, ...changes };
    if (tripSummaryOwed(updated, now)) void this.enqueueTripSummary(updated.id);
    return updated;
  }

  /** The catalog language of the pages and mails for `subscription`. */
  uiLanguageOf(subscription: Pick<EmailSubscription, 'language'>): UiLanguage {
    return readerOf(subscription.language, this.defaultUiLanguage).ui;
  }

  /** The language a page is written in for a reader no subscription is known for (a broken link). */
  negotiate(acceptLanguage: string | undefined): UiLanguage {
    return negotiateLanguage(acceptLanguage, this.defaultUiLanguage);
  }

  /** The catalog language of DEFAULT_LANGUAGE (English for a tag Tocsin has no texts in). */
  private get defaultUiLanguage(): UiLanguage {
    return uiLanguageOf(this.config.defaultLanguage, 'en');
  }

  /** The unsubscribe and manage links for a subscription, for every email sent to it. */
  async linksFor(subscription: Pick<EmailSubscription, 'id' | 'tokenVersion'>): Promise<SubscriberLinks> {
    return {
      unsubscribeUrl: await this.link('unsubscribe', subscription),
      manageUrl: await this.link('manage', subscription),
    };
  }

  list(query: EmailSubscriptionQuery): Promise<Positioned<EmailSubscription>[]> {
    return this.repository.findMany(query);
  }

  async get(id: string): Promise<EmailSubscription> {
    const subscription = await this.repository.findById(id);
    if (!subscription) throw new NotFoundException(`There is no email subscription "${id}".`);
    return subscription;
  }

  /** An admin disables a subscription (nothing is sent to it) or enables it again. */
  async setEnabled(id: string, enabled: boolean): Promise<EmailSubscription> {
    const subscription = await this.get(id);
    const status: EmailSubscriptionStatus = enabled
      ? subscription.confirmedAt
        ? 'confirmed'
        : 'pending'
      : 'disabled';
    if (enabled && subscription.status !== 'disabled') return subscription;
    await this.repository.update(id, { status, updatedAt: this.clock.now() });
    return { ...subscription, status };
  }

  /**
   * Tocsin's own act (DESIGN.md §5.6): suspends the subscriptions whose address keeps bouncing, each with why,
   * and audits each as the system. Nobody is mailed about it: mail to a dead address is pointless. A
   * subscription no longer confirmed (or suspended by another batch first) is left alone and not audited.
   */
  async suspendForBounces(reasons: ReadonlyMap<string, string>): Promise<string[]> {
    const at = this.clock.now();
    const suspended = await this.repository.transaction(async (tx) => {
      const ids = await this.repository.suspend([...reasons.keys()], at, tx);
      for (const id of ids) {
        const details = { status: 'suspended', reason: reasons.get(id) };
        const target = { type: 'email_subscription', id } as const;
        await this.audit.append(
          { at, actor: SYSTEM_ACTOR, action: 'subscriber.suspended', target, details },
          tx,
        );
      }
      return ids;
    });
    for (const id of suspended) this.logger.warn(`subscription ${id} suspended: ${reasons.get(id)}`);
    return suspended;
  }

  /** An admin confirms a suspended subscription again (the address works again); 409 if it is not suspended. */
  async resume(id: string, actor: AuditActor): Promise<EmailSubscription> {
    const at = this.clock.now();
    const resumed = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.resume(id, at, tx))) return false;
      const target = { type: 'email_subscription', id } as const;
      const details = { status: 'confirmed' };
      await this.audit.append({ at, actor, action: 'subscriber.resumed', target, details }, tx);
      return true;
    });
    if (!resumed) {
      const { status } = await this.get(id);
      throw new ConflictException(
        `Email subscription "${id}" is ${status}, not suspended; only a suspended one can be resumed.`,
      );
    }
    this.logger.log(`subscription ${id} resumed`);
    return this.get(id);
  }

  /**
   * Erases a subscriber: the row and the address go; logs never held the address, and the audit entry keeps
   * only the id.
   */
  async erase(id: string, actor: AuditActor): Promise<void> {
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.delete(id, tx)))
        throw new NotFoundException(`There is no email subscription "${id}".`);
      const target = { type: 'email_subscription', id } as const;
      await this.audit.append({ at: this.clock.now(), actor, action: 'subscriber.erased', target }, tx);
    });
    this.logger.log(`subscription ${id} erased`);
  }

  private async mailInBackground(subscription: EmailSubscription): Promise<void> {
    try {
      let email: SubscriberEmail;
      const context = { ...subscription, ui: this.uiLanguageOf(subscription) };
      if (subscription.status === 'confirmed') {
        const links = await this.linksFor(subscription);
        email = alreadySubscribedEmail(context, links.manageUrl, links.unsubscribeUrl);
      } else {
        email = confirmationEmail(context, await this.link('confirm', subscription));
      }
      await this.mail.send({ to: subscription.email, ...email });
    } catch (error) {
      this.logger.error(`mail to subscription ${subscription.id} failed: ${describeError(error)}`);
    }
  }

  private async link(
    purpose: TokenPurpose,
    subscription: Pick<EmailSubscription, 'id' | 'tokenVersion'>,
  ): Promise<string> {
    const token = makeLinkToken(
      await this.secrets.get(LINK_SECRET),
      purpose,
      subscription.id,
      subscription.tokenVersion,
    );
    const path = purpose === 'confirm' ? 'confirm' : purpose === 'unsubscribe' ? 'unsubscribe' : 'manage';
    return `${this.config.publicUrl}/v1/email-subscriptions/${path}?token=${encodeURIComponent(token)}`;
  }

  private async byToken(token: string, purpose: TokenPurpose): Promise<EmailSubscription> {
    const invalid = new NotFoundException(
      'This link is not valid: it may be mistyped, or it was replaced by a newer one.',
    );
    const id = subscriptionIdOf(token);
    if (!id) throw invalid;
    const subscription = await this.repository.findById(id);
    if (!subscription) throw invalid;
    const secret = await this.secrets.get(LINK_SECRET);
    if (!linkTokenMatches(secret, token, purpose, subscription.id, subscription.tokenVersion)) throw invalid;
    return subscription;
  }

  private async activeByManageToken(token: string): Promise<EmailSubscription> {
    const subscription = await this.byToken(token, 'manage');
    if (subscription.status !== 'confirmed') {
      throw new GoneException(
        `This subscription is ${subscription.status}; sign up again to receive alerts.`,
      );
    }
    return subscription;
  }
}

/** The settings in canonical form; a tag that is no BCP 47 tag or a zone that is no IANA zone is a 400. */
function checkedSettings(settings: ReadingSettings): ReadingSettings {
  const language = canonicalLanguage(settings.language);
  if (language === null)
    throw new BadRequestException(
      `language ${JSON.stringify(settings.language)} is not a BCP 47 language tag.`,
    );
  if (settings.timeZone === null) return { language, timeZone: null };
  const timeZone = canonicalTimeZone(settings.timeZone);
  if (timeZone === null)
    throw new BadRequestException(`timeZone ${JSON.stringify(settings.timeZone)} is not an IANA time zone.`);
  return { language, timeZone };
}

/** A subscription's delivery settings alone. */
const deliveryOf = (s: DeliverySettings): DeliverySettings => ({
  delivery: s.delivery,
  immediateMinRank: s.immediateMinRank,
  digestHour: s.digestHour,
  digestWeekday: s.digestWeekday,
});

/** Delivery settings checked here too, for callers that are not the API (whose DTOs check them); bad: a 400. */
function checkedDelivery(settings: DeliverySettings): DeliverySettings {
  const { delivery, immediateMinRank, digestHour, digestWeekday } = settings;
  const wholeIn = (value: number, low: number, high: number) =>
    Number.isInteger(value) && value >= low && value <= high;
  if (!(DIGEST_DELIVERIES as readonly string[]).includes(delivery))
    throw new BadRequestException(`delivery must be one of ${DIGEST_DELIVERIES.join(', ')}.`);
  if (immediateMinRank !== null && !wholeIn(immediateMinRank, 1, 20))
    throw new BadRequestException('immediateMinRank must be a whole number from 1 to 20, or null.');
  if (!wholeIn(digestHour, 0, 23))
    throw new BadRequestException('digestHour must be a whole number from 0 to 23.');
  if (!wholeIn(digestWeekday, 1, 7))
    throw new BadRequestException('digestWeekday must be an ISO weekday from 1 (Monday) to 7 (Sunday).');
  return deliveryOf(settings);
}

/** When a subscription with these settings, made or changed at `now`, sends its first digest. */
function digestDueAfter(
  settings: DeliverySettings & { timeZone: string | null },
  filter: SubscriptionFilter,
  now: Date,
): Date | null {
  return nextDigestAt(settings, digestZoneOf(settings.timeZone, filter.areas), now);
}

/**
 * The next digest after a change of preferences: as it was when nothing it depends on changed; now when the
 * subscriber goes back to immediate delivery with a digest owed, so that the next sweep sends what is held
 * once; else the next due instant of the new settings (what is held goes with it).
 */
function rescheduledDigest(
  before: EmailSubscription,
  after: DeliverySettings & { timeZone: string | null; filter: SubscriptionFilter },
  now: Date,
): Date | null {
  const zone = (s: { timeZone: string | null; filter: SubscriptionFilter }) =>
    digestZoneOf(s.timeZone, s.filter.areas);
  const unchanged =
    before.delivery === after.delivery &&
    before.digestHour === after.digestHour &&
    before.digestWeekday === after.digestWeekday &&
    zone(before) === zone(after);
  if (unchanged) return before.nextDigestAt;
  if (after.delivery === 'immediate') return before.nextDigestAt ? now : null;
  return digestDueAfter(after, after.filter, now);
}

/** Addresses compare case-insensitively here: one subscription per mailbox, however it is typed. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

import {
  BadRequestException,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { AuditActor, AuditLogRepository, AuditTargetType } from '@tocsin/audit';
import { AppConfig, Clock, describeError } from '@tocsin/config';
import { Positioned } from '@tocsin/database';
import { canonicalLanguage, UiLanguage, uiLanguageOf } from '@tocsin/i18n';
import { JOB, JobQueues } from '@tocsin/queue';
import {
  FilterInput,
  FilterInputs,
  InstanceSecrets,
  readerOf,
  signUpLanguage,
  SubscriptionFilter,
  TripWindow,
  requestedTrip,
  TripWindowInput,
  tripSummaryOwed,
} from '@tocsin/subscribers';
import { uuidv7 } from 'uuidv7';
// Not exported by @tocsin/subscribers yet (see the report of issue 17): the same instance secrets and the
// same sign-up language rule as email.
import { codeAllowance, codeMatches, judgeCode } from './sms-codes';
import {
  SmsSubscription,
  SmsSubscriptionQuery,
  SmsSubscriptionsRepository,
  SmsSubscriptionStatus,
} from './sms-subscriptions.repository';

/** The instance secret the code hashes are keyed with. */
export const SMS_CODE_SECRET = 'sms-code-hmac';

/** E.164: a plus, a country code that does not start with 0, at most 15 digits. */
export const E164_PHONE = /^\+[1-9]\d{6,14}$/;

// Until AUDIT_TARGET_TYPES names it (see the report of issue 17); the column is text.
const SMS_SUBSCRIPTION_TARGET: AuditTargetType = 'sms_subscription';

/** What an SMS sign-up asks for beyond its filter; left out, the language comes from `acceptLanguage`. */
export interface SmsSignUpSettings {
  language?: string;
  acceptLanguage?: string;
  /** Also receive exercises and tests; default false. */
  exercises?: boolean;
  /** A trip (DESIGN.md §5.6): texts only for events in [activeFrom, activeUntil); absent: always. */
  trip?: TripWindowInput;
}

/** What a sign-up asked for, in canonical form. */
export interface SmsSignUpWishes extends TripWindow {
  language: string;
  exercises: boolean;
}

/** A 429 for a number locked by wrong codes, with the Retry-After the problem filter sends. */
export class SmsNumberLocked extends HttpException {
  constructor(
    readonly lockedUntil: Date,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Too many wrong codes: this number is locked until ${lockedUntil.toISOString()}; even the right code is refused until then.`,
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * SMS subscriptions with opt-in by a texted code. Sign-up answers the same whatever the number's state and
 * leaves the texting to the worker (JOB.sendSmsCode: the API never binds SMPP), so neither the answer nor
 * its timing tells whether a number is known.
 */
@Injectable()
export class SmsSubscriptionsService {
  private readonly logger = new Logger(SmsSubscriptionsService.name);

  constructor(
    private readonly repository: SmsSubscriptionsRepository,
    private readonly audit: AuditLogRepository,
    private readonly filters: FilterInputs,
    private readonly secrets: InstanceSecrets,
    private readonly queues: JobQueues,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Validates the filter (bad input is an error), then does what the number's state calls for. */
  async signUp(
    phone: string,
    filterInput: FilterInput,
    settings: SmsSignUpSettings = {},
  ): Promise<SmsSignUpWishes> {
    if (!this.config.smppUrl)
      throw new ServiceUnavailableException('SMS is not set up on this Tocsin (SMPP_URL is unset).');
    checkPhone(phone);
    const filter = await this.filters.normalize(filterInput);
    const wished = {
      language: checkedLanguage(
        settings.language ?? signUpLanguage(settings.acceptLanguage, this.config.defaultLanguage),
      ),
      exercises: settings.exercises ?? false,
      ...requestedTrip(settings.trip ?? {}, this.clock.now()),
    };
    await this.record(phone, filter, wished);
    return wished;
  }

  private async record(phone: string, filter: SubscriptionFilter, wished: SmsSignUpWishes): Promise<void> {
    const now = this.clock.now();
    let subscription = await this.repository.findByPhone(phone);
    if (!subscription) {
      const fresh: SmsSubscription = {
        id: `sms_${uuidv7()}`,
        phone,
        filter,
        status: 'pending',
        ...wished,
        codeHash: null,
        codeSentAt: null,
        codesToday: 0,
        wrongCodes: 0,
        lockedUntil: null,
        createdAt: now,
        updatedAt: now,
        confirmedAt: null,
        unsubscribedAt: null,
        tripSummarySentAt: null,
      };
      subscription = (await this.repository.insert(fresh)) ? fresh : await this.repository.findByPhone(phone);
      if (!subscription) return;
    } else if (['pending', 'unsubscribed', 'ended'].includes(subscription.status)) {
      // The latest wishes count; a confirmed number keeps its own (a stranger must not change them). An
      // ended trip's number confirms its next trip with a new code, and gets that trip's summary.
      const changes = { filter, status: 'pending' as const, ...wished, tripSummarySentAt: null };
      await this.repository.update(subscription.id, { ...changes, updatedAt: now });
      subscription = { ...subscription, ...changes };
    }
    if (subscription.status === 'disabled') return;

    // The per-number limit and the lock: silent, so the answer stays the same; claimed, so two racing
    // sign-ups text once.
    const allowance = codeAllowance(subscription, now);
    if (!allowance.allowed) return;
    const claimed = await this.repository.claimCodeSlot(
      subscription.id,
      subscription.codeSentAt,
      now,
      allowance.codesToday,
    );
    if (claimed) void this.enqueueCode(subscription.id, now);
  }

  private async enqueueCode(subscriptionId: string, requestedAt: Date): Promise<void> {
    try {
      await this.queues.add(JOB.sendSmsCode, { subscriptionId, requestedAt: requestedAt.toISOString() });
    } catch (error) {
      this.logger.error(
        `the code for subscription ${subscriptionId} was not queued: ${describeError(error)}`,
      );
    }
  }

  private async enqueueTripSummary(subscriptionId: string): Promise<void> {
    try {
      await this.queues.add(JOB.sendTripSummary, { channel: 'sms', subscriptionId });
    } catch (error) {
      // The row still says it is owed: the trip clock's sweep enqueues it.
      this.logger.warn(`trip summary of ${subscriptionId} not queued: ${describeError(error)}`);
    }
  }

  /**
   * Confirms with the texted code. Guesses at one number are judged one at a time (the row is locked while
   * one is), so parallel guesses cannot exceed the five that lock it. A wrong, expired or never-sent code,
   * or a number that is not pending, is the same 422; a locked number is a 429.
   */
  async confirm(phone: string, code: string): Promise<SmsSubscription> {
    checkPhone(phone);
    const secret = await this.secrets.get(SMS_CODE_SECRET);
    const now = this.clock.now();
    const result = await this.repository.transaction(async (tx) => {
      const subscription = await this.repository.findByPhone(phone, tx, { forUpdate: true });
      if (!subscription) return { outcome: 'no-code' as const };
      const verdict = judgeCode(
        subscription,
        (storedHash) => codeMatches(secret, subscription.id, code, storedHash),
        now,
      );
      if (verdict.outcome === 'confirmed') {
        const changes = {
          status: 'confirmed' as const,
          confirmedAt: now,
          updatedAt: now,
          codeHash: null,
          wrongCodes: 0,
          lockedUntil: null,
        };
        await this.repository.update(subscription.id, changes, tx);
        return { outcome: 'confirmed' as const, subscription: { ...subscription, ...changes } };
      }
      if (verdict.outcome === 'wrong') {
        const { wrongCodes, lockedUntil } = verdict;
        // The guess that locks the number voids its code too: after the lock, a new code is needed.
        await this.repository.update(
          subscription.id,
          lockedUntil
            ? { wrongCodes, lockedUntil, codeHash: null, updatedAt: now }
            : { wrongCodes, updatedAt: now },
          tx,
        );
        if (lockedUntil)
          this.logger.warn(`subscription ${subscription.id} locked after ${wrongCodes} wrong codes`);
        return lockedUntil ? { outcome: 'locked' as const, lockedUntil } : verdict;
      }
      return verdict;
    });
    switch (result.outcome) {
      case 'confirmed':
        this.logger.log(`subscription ${result.subscription.id} confirmed`);
        // A trip already begun: its summary now, not at the trip clock's next sweep (which would send it too).
        if (tripSummaryOwed(result.subscription, now)) void this.enqueueTripSummary(result.subscription.id);
        return result.subscription;
      case 'locked':
        throw new SmsNumberLocked(
          result.lockedUntil,
          Math.max(1, Math.ceil((result.lockedUntil.getTime() - now.getTime()) / 1000)),
        );
      default:
        throw new UnprocessableEntityException(
          'This code is wrong or has expired; sign up again to get a new one.',
        );
    }
  }

  list(query: SmsSubscriptionQuery): Promise<Positioned<SmsSubscription>[]> {
    return this.repository.findMany(query);
  }

  async get(id: string): Promise<SmsSubscription> {
    const subscription = await this.repository.findById(id);
    if (!subscription) throw new NotFoundException(`There is no SMS subscription "${id}".`);
    return subscription;
  }

  /** An admin disables a subscription (nothing is sent to it, STOP and sign-up leave it so) or enables it again. */
  async setEnabled(id: string, enabled: boolean): Promise<SmsSubscription> {
    const subscription = await this.get(id);
    if (enabled && subscription.status !== 'disabled') return subscription;
    const status: SmsSubscriptionStatus = enabled
      ? subscription.confirmedAt
        ? 'confirmed'
        : 'pending'
      : 'disabled';
    await this.repository.update(id, { status, updatedAt: this.clock.now() });
    return { ...subscription, status };
  }

  /** Erases a subscriber: the row and the number go; the audit entry keeps only the id. */
  async erase(id: string, actor: AuditActor): Promise<void> {
    await this.repository.transaction(async (tx) => {
      if (!(await this.repository.delete(id, tx)))
        throw new NotFoundException(`There is no SMS subscription "${id}".`);
      const target = { type: SMS_SUBSCRIPTION_TARGET, id };
      await this.audit.append({ at: this.clock.now(), actor, action: 'subscriber.erased', target }, tx);
    });
    this.logger.log(`subscription ${id} erased`);
  }

  /** The catalog language of the texts for `subscription`. */
  uiLanguageOf(subscription: Pick<SmsSubscription, 'language'>): UiLanguage {
    return readerOf(subscription.language, uiLanguageOf(this.config.defaultLanguage, 'en')).ui;
  }
}

/** The DTO checks the number too; this keeps the service safe for other callers. */
function checkPhone(phone: string): void {
  if (!E164_PHONE.test(phone))
    throw new BadRequestException('phone must be an E.164 number such as +77012345678.');
}

function checkedLanguage(tag: string): string {
  const language = canonicalLanguage(tag);
  if (language === null)
    throw new BadRequestException(`language ${JSON.stringify(tag)} is not a BCP 47 language tag.`);
  return language;
}

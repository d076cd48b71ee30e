import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { canonicalTimeZone } from '@tocsin/i18n';
import {
  DeliverySettings,
  DIGEST_DELIVERIES,
  DigestDelivery,
  EMAIL_SUBSCRIPTION_STATUSES,
  EmailSubscription,
  EmailSubscriptionStatus,
  FILTER_EVENTS,
  FilterEvent,
  FilterInput,
  PreferenceSettings,
  TripWindow,
} from '@tocsin/subscribers';
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { IsLanguageTag, toCanonicalLanguage } from '../declarations/declaration-languages.dto';
import { IsInstant, PageQuery } from '../http/shared.dto';
import { renderFilter, SubscriptionFilterDto, SubscriptionFilterView } from '../http/subscription-filter.dto';

/** The zone's canonical IANA name when it is one; anything else as it came, for the validator to refuse. */
const toCanonicalTimeZone = ({ value }: { value: unknown }): unknown =>
  (typeof value === 'string' && canonicalTimeZone(value)) || value;

const IsTimeZone = () =>
  ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) === value,
      defaultMessage: () => 'must be an IANA time zone such as Asia/Almaty or Europe/London',
    },
  });

const LANGUAGE_DOC = {
  type: String,
  example: 'ru',
  description:
    'BCP 47 tag of every email and page sent for this subscription (labels in en, ru or kk, the nearest ' +
    'to it; a declaration’s own text in it where the declaration has it). Stored in canonical form.',
};
const TIME_ZONE_DOC = {
  type: String,
  nullable: true,
  example: 'Asia/Almaty',
  description: 'IANA time zone of the times in emails; null: the main zone of the area an alert is about.',
};

/** Absent is the default; anything present, null included, must be valid (IsOptional would let null by). */
const OnlyWhenPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

const EXERCISES_DOC =
  'Also receive exercises and tests (subjects start [EXERCISE] or [TEST]); other subscribers never do.';

// Trips (DESIGN.md §5.6): the window in sign-up, the manage API and the views.
const ACTIVE_FROM_DOC =
  'A trip’s start (ISO 8601 with its zone): alerts only for changes that take effect from then on, and at ' +
  'the start one email summing up the current levels of the areas. null: no start.';
const ACTIVE_UNTIL_DOC =
  'A trip’s end (after activeFrom, in the future, within 10 years): no alerts for changes that take effect ' +
  'from then on, and the status becomes `ended`. null: no end.';
const TripBound = (description: string, example: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, example, description }),
    IsOptional(),
    IsInstant(),
  );

// Digests (DESIGN.md §5.6): the four settings, alike in sign-up, the manage API and the views.
const DELIVERY_DOC =
  '`immediate`: every alert at once. `daily` / `weekly`: changes below `immediateMinRank` wait for one ' +
  'email a day (or a week) at `digestHour` in the subscriber’s zone; a change at or above it is sent at once.';
const IMMEDIATE_MIN_RANK_DOC =
  'With a digest, a change whose previous or current level has at least this rank is sent at once (read as ' +
  '`minRank` is: a drop from that level is sent at once too). Ranks count up from 1 (the lowest level) in ' +
  'every scheme, so 3 is “the third level or higher” of whichever scheme changed; name `scheme` to keep to ' +
  'one. null: every change waits for the digest.';
const DIGEST_HOUR_DOC = 'The hour (0–23) the digest goes out, in `timeZone` (null: the first area’s zone).';
const DIGEST_WEEKDAY_DOC = 'For a weekly digest, the ISO weekday it goes out: 1 = Monday … 7 = Sunday.';

const DeliveryField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ enum: DIGEST_DELIVERIES, description }),
    OnlyWhenPresent(),
    IsIn(DIGEST_DELIVERIES),
  );
const WholeField = (description: string, low: number, high: number, nullable = false) =>
  applyDecorators(
    ApiPropertyOptional({ type: Number, minimum: low, maximum: high, nullable, description }),
    nullable
      ? ValidateIf((_o: object, value: unknown) => value !== undefined && value !== null)
      : OnlyWhenPresent(),
    IsInt({ message: '$property must be a whole number' }),
    Min(low),
    Max(high),
  );

/** The delivery settings a request gave, without the absent ones (which stay as they are, or default). */
export function deliveryOfBody(body: {
  delivery?: DigestDelivery;
  immediateMinRank?: number | null;
  digestHour?: number;
  digestWeekday?: number;
}): Partial<DeliverySettings> {
  const { delivery, immediateMinRank, digestHour, digestWeekday } = body;
  return Object.fromEntries(
    Object.entries({ delivery, immediateMinRank, digestHour, digestWeekday }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

/** The delivery settings of a subscription, as every view shows them. */
export class DeliverySettingsView {
  @ApiProperty({ enum: DIGEST_DELIVERIES, description: DELIVERY_DOC }) delivery!: DigestDelivery;
  @ApiProperty({ type: Number, nullable: true, description: IMMEDIATE_MIN_RANK_DOC })
  immediateMinRank!: number | null;
  @ApiProperty({ description: DIGEST_HOUR_DOC }) digestHour!: number;
  @ApiProperty({ description: DIGEST_WEEKDAY_DOC }) digestWeekday!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the next digest goes out; null for immediate delivery.',
  })
  nextDigestAt!: string | null;
}

export const renderDelivery = (
  s: Pick<EmailSubscription, 'delivery' | 'immediateMinRank' | 'digestHour' | 'digestWeekday'> & {
    nextDigestAt?: Date | null;
  },
): DeliverySettingsView => ({
  delivery: s.delivery,
  immediateMinRank: s.immediateMinRank,
  digestHour: s.digestHour,
  digestWeekday: s.digestWeekday,
  nextDigestAt: s.nextDigestAt?.toISOString() ?? null,
});

/** A subscription's filter with the language and zone its emails are written in. */
export class SubscriberPreferencesDto extends SubscriptionFilterDto {
  @ApiPropertyOptional({ ...LANGUAGE_DOC, description: `${LANGUAGE_DOC.description} Absent: unchanged.` })
  @IsOptional()
  @Transform(toCanonicalLanguage)
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ ...TIME_ZONE_DOC, description: `${TIME_ZONE_DOC.description} Absent: unchanged.` })
  @IsOptional()
  @Transform(toCanonicalTimeZone)
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ description: `${EXERCISES_DOC} Absent: unchanged.` })
  @OnlyWhenPresent()
  @IsBoolean()
  exercises?: boolean;

  @DeliveryField(`${DELIVERY_DOC} Absent: unchanged.`) delivery?: DigestDelivery;
  @WholeField(`${IMMEDIATE_MIN_RANK_DOC} Absent: unchanged.`, 1, 20, true) immediateMinRank?: number | null;
  @WholeField(`${DIGEST_HOUR_DOC} Absent: unchanged.`, 0, 23) digestHour?: number;
  @WholeField(`${DIGEST_WEEKDAY_DOC} Absent: unchanged.`, 1, 7) digestWeekday?: number;

  @TripBound(
    `${ACTIVE_FROM_DOC} Absent: unchanged; another start is another trip, with its own summary.`,
    '2027-03-01T00:00:00+06:00',
  )
  activeFrom?: string | null;
  @TripBound(`${ACTIVE_UNTIL_DOC} Absent: unchanged.`, '2027-03-15T00:00:00+06:00')
  activeUntil?: string | null;
}

export class SignUpDto extends SubscriptionFilterDto {
  @ApiPropertyOptional({
    ...LANGUAGE_DOC,
    description: `${LANGUAGE_DOC.description} Default: the request’s Accept-Language when Tocsin has it (en, ru, kk), else DEFAULT_LANGUAGE.`,
  })
  @IsOptional()
  @Transform(toCanonicalLanguage)
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ ...TIME_ZONE_DOC, description: `${TIME_ZONE_DOC.description} Default: null.` })
  @IsOptional()
  @Transform(toCanonicalTimeZone)
  @IsTimeZone()
  timeZone?: string | null;

  @ApiPropertyOptional({ default: false, description: EXERCISES_DOC })
  @OnlyWhenPresent()
  @IsBoolean()
  exercises?: boolean;

  @DeliveryField(`${DELIVERY_DOC} Default: immediate.`) delivery?: DigestDelivery;
  @WholeField(`${IMMEDIATE_MIN_RANK_DOC} Default: null.`, 1, 20, true) immediateMinRank?: number | null;
  @WholeField(`${DIGEST_HOUR_DOC} Default: 8.`, 0, 23) digestHour?: number;
  @WholeField(`${DIGEST_WEEKDAY_DOC} Default: 1.`, 1, 7) digestWeekday?: number;

  @TripBound(`${ACTIVE_FROM_DOC} Default: null.`, '2027-03-01T00:00:00+06:00') activeFrom?: string | null;
  @TripBound(`${ACTIVE_UNTIL_DOC} Default: null.`, '2027-03-15T00:00:00+06:00') activeUntil?: string | null;

  @ApiProperty({ example: 'desk@ngo.example' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;
}

export class TokenQuery {
  @ApiProperty({ description: 'The token from the link in the email.' })
  @IsString()
  @Length(1, 200)
  token!: string;
}

/** The body of POST /confirm: a JSON object, or the form of the confirmation page. */
export class ConfirmDto extends TokenQuery {}

/** The preferences form of the page in emails: plain strings, as browsers send them. */
export class PreferencesFormDto {
  @IsString() @Length(1, 2000) areas!: string;
  @IsOptional() @IsString() @MaxLength(40) scheme?: string;
  @IsOptional() @Matches(/^(\d{1,2})?$/, { message: 'must be a whole number' }) minRank?: string;
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : [value]))
  @IsIn(FILTER_EVENTS, { each: true })
  events?: FilterEvent[];
  @IsOptional() @Transform(toCanonicalLanguage) @IsLanguageTag() language?: string;
  /** Empty: the area's zone. */
  @IsOptional()
  @Transform((params) => (params.value === '' ? null : toCanonicalTimeZone(params)))
  @IsTimeZone()
  timeZone?: string | null;
  @IsOptional() @IsIn(DIGEST_DELIVERIES) delivery?: DigestDelivery;
  /** Empty: nothing is sent at once. */
  @IsOptional() @Matches(/^(\d{1,2})?$/, { message: 'must be a whole number' }) immediateMinRank?: string;
  @IsOptional() @Matches(/^\d{1,2}$/, { message: 'must be a whole number' }) digestHour?: string;
  @IsOptional() @Matches(/^\d$/, { message: 'must be a whole number' }) digestWeekday?: string;
}

export function formToFilter(form: PreferencesFormDto): FilterInput {
  return {
    areas: form.areas.split(/[\s,;]+/).filter(Boolean),
    scheme: form.scheme || null,
    minRank: form.minRank ? Number(form.minRank) : null,
    // A form with no box ticked means neither direction, which would never match; treat it as "both".
    events: form.events?.length ? form.events : null,
  };
}

export function formToSettings(form: PreferencesFormDto): PreferenceSettings {
  const whole = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    language: form.language,
    timeZone: form.timeZone,
    // A form without the digest's fields (a page from before them) leaves them as they are.
    delivery: deliveryOfBody({
      delivery: form.delivery,
      immediateMinRank: form.immediateMinRank === '' ? null : whole(form.immediateMinRank),
      digestHour: whole(form.digestHour),
      digestWeekday: whole(form.digestWeekday),
    }),
  };
}

export class EmailSubscriptionQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: EMAIL_SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(EMAIL_SUBSCRIPTION_STATUSES)
  status?: EmailSubscriptionStatus;

  @ApiPropertyOptional({ description: 'A part of the address.' })
  @IsOptional()
  @IsString()
  @Length(1, 254)
  q?: string;
}

export class SetEnabledDto {
  @ApiProperty({ description: 'false disables the subscription (nothing is sent); true restores it.' })
  @IsBoolean()
  enabled!: boolean;
}

export class AcceptedDto {
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty() message!: string;
  @ApiProperty({
    example: 'ru',
    description:
      'The language this sign-up asked for, in canonical form (an address already subscribed keeps its own).',
  })
  language!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'The zone this sign-up asked for.',
  })
  timeZone!: string | null;
  @ApiProperty({ description: 'Whether this sign-up asked for exercises and tests too.' })
  exercises!: boolean;
  @ApiProperty({ enum: DIGEST_DELIVERIES, description: 'The delivery this sign-up asked for.' })
  delivery!: DigestDelivery;
  @ApiProperty({ type: Number, nullable: true }) immediateMinRank!: number | null;
  @ApiProperty() digestHour!: number;
  @ApiProperty() digestWeekday!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The trip’s start this sign-up asked for.' })
  activeFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The trip’s end this sign-up asked for.' })
  activeUntil!: string | null;
}

/** What a subscriber sees through a link: no address, no ids beyond its own. */
export class SubscriberViewDto extends PartialType(DeliverySettingsView) {
  @ApiProperty({ enum: EMAIL_SUBSCRIPTION_STATUSES }) status!: EmailSubscriptionStatus;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: SubscriptionFilterView }) filter?: SubscriptionFilterView;
  @ApiPropertyOptional({ example: 'ru' }) language?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Asia/Almaty' }) timeZone?: string | null;
  @ApiPropertyOptional({ description: EXERCISES_DOC }) exercises?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, description: ACTIVE_FROM_DOC }) activeFrom?:
    string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: ACTIVE_UNTIL_DOC }) activeUntil?:
    string | null;
}

/**
 * Bounces are the one way to `suspended` (DESIGN.md §5.6). Until the table has columns of its own for it
 * (suspended_at, suspended_reason), the time is the row's last change and the server's answer is in the
 * audit log.
 */
const SUSPENDED_REASON = 'Three permanent SMTP failures in a row: the address refuses mail.';

export class EmailSubscriptionDto extends DeliverySettingsView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: EMAIL_SUBSCRIPTION_STATUSES }) status!: EmailSubscriptionStatus;
  @ApiProperty({ type: SubscriptionFilterView }) filter!: SubscriptionFilterView;
  @ApiProperty({ description: EXERCISES_DOC }) exercises!: boolean;
  @ApiProperty({ example: 'ru' }) language!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Asia/Almaty' }) timeZone!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) unsubscribedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When it was suspended, while it is (`status` suspended); null otherwise.',
  })
  suspendedAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: SUSPENDED_REASON,
    description: 'Why it is suspended; the audit entry (subscriber.suspended) has the server’s last answer.',
  })
  suspendedReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_FROM_DOC }) activeFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_UNTIL_DOC }) activeUntil!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the trip’s “current situation” email went out; null: not (yet).',
  })
  tripSummarySentAt!: string | null;
}

export class EmailSubscriptionListDto {
  @ApiProperty({ type: [EmailSubscriptionDto] }) items!: EmailSubscriptionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export const renderSubscription = (s: EmailSubscription): EmailSubscriptionDto => ({
  id: s.id,
  email: s.email,
  status: s.status,
  filter: renderFilter(s.filter),
  exercises: s.exercises,
  language: s.language,
  timeZone: s.timeZone,
  ...renderDelivery(s),
  createdAt: s.createdAt.toISOString(),
  confirmedAt: s.confirmedAt?.toISOString() ?? null,
  unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
  suspendedAt: s.status === 'suspended' ? s.updatedAt.toISOString() : null,
  suspendedReason: s.status === 'suspended' ? SUSPENDED_REASON : null,
  ...renderTrip(s),
  tripSummarySentAt: s.tripSummarySentAt?.toISOString() ?? null,
});

/** A trip's bounds as the API shows them. */
export const renderTrip = (s: TripWindow) => ({
  activeFrom: s.activeFrom?.toISOString() ?? null,
  activeUntil: s.activeUntil?.toISOString() ?? null,
});

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { canonicalTimeZone } from '@tocsin/i18n';
import {
  EMAIL_SUBSCRIPTION_STATUSES,
  EmailSubscription,
  EmailSubscriptionStatus,
  FILTER_EVENTS,
  FilterEvent,
  FilterInput,
  ReadingSettings,
} from '@tocsin/subscribers';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { IsLanguageTag, toCanonicalLanguage } from '../declarations/declaration-languages.dto';
import { PageQuery } from '../http/shared.dto';
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

export function formToSettings(form: PreferencesFormDto): Partial<ReadingSettings> {
  return { language: form.language, timeZone: form.timeZone };
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
}

/** What a subscriber sees through a link: no address, no ids beyond its own. */
export class SubscriberViewDto {
  @ApiProperty({ enum: EMAIL_SUBSCRIPTION_STATUSES }) status!: EmailSubscriptionStatus;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: SubscriptionFilterView }) filter?: SubscriptionFilterView;
  @ApiPropertyOptional({ example: 'ru' }) language?: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Asia/Almaty' }) timeZone?: string | null;
  @ApiPropertyOptional({ description: EXERCISES_DOC }) exercises?: boolean;
}

/**
 * Bounces are the one way to `suspended` (DESIGN.md §5.6). Until the table has columns of its own for it
 * (suspended_at, suspended_reason), the time is the row's last change and the server's answer is in the
 * audit log.
 */
const SUSPENDED_REASON = 'Three permanent SMTP failures in a row: the address refuses mail.';

export class EmailSubscriptionDto {
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
  createdAt: s.createdAt.toISOString(),
  confirmedAt: s.confirmedAt?.toISOString() ?? null,
  unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
  suspendedAt: s.status === 'suspended' ? s.updatedAt.toISOString() : null,
  suspendedReason: s.status === 'suspended' ? SUSPENDED_REASON : null,
});

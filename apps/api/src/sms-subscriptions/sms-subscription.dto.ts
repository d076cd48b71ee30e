import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { E164_PHONE, SMS_SUBSCRIPTION_STATUSES, SmsSubscription, SmsSubscriptionStatus } from '@tocsin/sms';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { IsLanguageTag, toCanonicalLanguage } from '../declarations/declaration-languages.dto';
import { renderTrip } from '../email-subscriptions/email-subscription.dto';
import { IsInstant, PageQuery } from '../http/shared.dto';
import { renderFilter, SubscriptionFilterDto, SubscriptionFilterView } from '../http/subscription-filter.dto';

const PHONE_DOC = {
  example: '+77012345678',
  description: 'E.164: a plus, the country code and the number, digits only (at most 15).',
};
const PHONE_MESSAGE = 'must be an E.164 phone number such as +77012345678';

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Absent is the default; anything present, null included, must be valid (IsOptional would let null by). */
const OnlyWhenPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

const EXERCISES_DOC =
  'Also receive exercises and tests (texts start EXERCISE or TEST); other subscribers never do.';

const ACTIVE_FROM_DOC =
  'A trip’s start (ISO 8601 with its zone): texts only for changes that take effect from then on, and at ' +
  'the start one text with the current levels of the areas. null: no start.';
const ACTIVE_UNTIL_DOC =
  'A trip’s end (after activeFrom, in the future, within 10 years): no texts for changes that take effect ' +
  'from then on, and the status becomes `ended`. null: no end.';

export class SmsSignUpDto extends SubscriptionFilterDto {
  @ApiProperty(PHONE_DOC)
  @Transform(trimmed)
  @IsString()
  @Matches(E164_PHONE, { message: `phone ${PHONE_MESSAGE}` })
  phone!: string;

  @ApiPropertyOptional({
    type: String,
    example: 'ru',
    description:
      'BCP 47 tag of every text sent for this subscription (in en, ru or kk, the nearest to it). Default: the ' +
      'request’s Accept-Language when Tocsin has it, else DEFAULT_LANGUAGE.',
  })
  @IsOptional()
  @Transform(toCanonicalLanguage)
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ default: false, description: EXERCISES_DOC })
  @OnlyWhenPresent()
  @IsBoolean()
  exercises?: boolean;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2027-03-01T00:00:00+06:00',
    description: ACTIVE_FROM_DOC,
  })
  @IsOptional()
  @IsInstant()
  activeFrom?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2027-03-15T00:00:00+06:00',
    description: ACTIVE_UNTIL_DOC,
  })
  @IsOptional()
  @IsInstant()
  activeUntil?: string | null;
}

export class SmsConfirmDto {
  @ApiProperty(PHONE_DOC)
  @Transform(trimmed)
  @IsString()
  @Matches(E164_PHONE, { message: `phone ${PHONE_MESSAGE}` })
  phone!: string;

  @ApiProperty({ example: '042917', description: 'The 6-digit code from the SMS.' })
  @Transform(trimmed)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits of the SMS' })
  code!: string;
}

export class SmsAcceptedDto {
  @ApiProperty({ example: 'accepted' }) status!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ example: 'ru', description: 'The language this sign-up asked for, in canonical form.' })
  language!: string;
  @ApiProperty({ description: 'Whether this sign-up asked for exercises and tests too.' })
  exercises!: boolean;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_FROM_DOC }) activeFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_UNTIL_DOC }) activeUntil!: string | null;
}

/** What the subscriber sees once confirmed: its own settings, no ids. */
export class SmsSubscriberViewDto {
  @ApiProperty({ enum: SMS_SUBSCRIPTION_STATUSES }) status!: SmsSubscriptionStatus;
  @ApiProperty() message!: string;
  @ApiProperty({ type: SubscriptionFilterView }) filter!: SubscriptionFilterView;
  @ApiProperty({ example: 'ru' }) language!: string;
  @ApiProperty({ description: EXERCISES_DOC }) exercises!: boolean;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_FROM_DOC }) activeFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_UNTIL_DOC }) activeUntil!: string | null;
}

export class SmsSubscriptionQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: SMS_SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(SMS_SUBSCRIPTION_STATUSES)
  status?: SmsSubscriptionStatus;

  @ApiPropertyOptional({ description: 'A part of the number (digits).' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?\d{1,15}$/, { message: 'q must be digits of a phone number' })
  q?: string;
}

export class SmsSetEnabledDto {
  @ApiProperty({ description: 'false disables the subscription (nothing is sent); true restores it.' })
  @IsBoolean()
  enabled!: boolean;
}

export class SmsSubscriptionDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '+77012345678' }) phone!: string;
  @ApiProperty({ enum: SMS_SUBSCRIPTION_STATUSES }) status!: SmsSubscriptionStatus;
  @ApiProperty({ type: SubscriptionFilterView }) filter!: SubscriptionFilterView;
  @ApiProperty({ description: EXERCISES_DOC }) exercises!: boolean;
  @ApiProperty({ example: 'ru' }) language!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Locked by wrong codes until then.' })
  lockedUntil!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) unsubscribedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_FROM_DOC }) activeFrom!: string | null;
  @ApiProperty({ type: String, nullable: true, description: ACTIVE_UNTIL_DOC }) activeUntil!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the trip’s “current situation” text went out; null: not (yet).',
  })
  tripSummarySentAt!: string | null;
}

export class SmsSubscriptionListDto {
  @ApiProperty({ type: [SmsSubscriptionDto] }) items!: SmsSubscriptionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export const renderSmsSubscription = (s: SmsSubscription): SmsSubscriptionDto => ({
  id: s.id,
  phone: s.phone,
  status: s.status,
  filter: renderFilter(s.filter),
  exercises: s.exercises,
  language: s.language,
  lockedUntil: s.lockedUntil?.toISOString() ?? null,
  createdAt: s.createdAt.toISOString(),
  confirmedAt: s.confirmedAt?.toISOString() ?? null,
  unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
  ...renderTrip(s),
  tripSummarySentAt: s.tripSummarySentAt?.toISOString() ?? null,
});

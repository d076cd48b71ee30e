import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EMAIL_SUBSCRIPTION_STATUSES,
  EmailSubscription,
  EmailSubscriptionStatus,
  FILTER_EVENTS,
  FilterEvent,
  FilterInput,
} from '@tocsin/subscribers';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../http/shared.dto';
import { renderFilter, SubscriptionFilterDto, SubscriptionFilterView } from '../http/subscription-filter.dto';

export class SignUpDto extends SubscriptionFilterDto {
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
}

/** What a subscriber sees through a link: no address, no ids beyond its own. */
export class SubscriberViewDto {
  @ApiProperty({ enum: EMAIL_SUBSCRIPTION_STATUSES }) status!: EmailSubscriptionStatus;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ type: SubscriptionFilterView }) filter?: SubscriptionFilterView;
}

export class EmailSubscriptionDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: EMAIL_SUBSCRIPTION_STATUSES }) status!: EmailSubscriptionStatus;
  @ApiProperty({ type: SubscriptionFilterView }) filter!: SubscriptionFilterView;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) confirmedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) unsubscribedAt!: string | null;
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
  createdAt: s.createdAt.toISOString(),
  confirmedAt: s.confirmedAt?.toISOString() ?? null,
  unsubscribedAt: s.unsubscribedAt?.toISOString() ?? null,
});

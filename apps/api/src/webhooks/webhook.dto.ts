import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { DEFAULT_GRACE_PERIOD_SECONDS, MAX_GRACE_PERIOD_SECONDS, WebhookEndpoint } from '@tocsin/webhooks';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQuery } from '../http/shared.dto';
import { renderFilter, SubscriptionFilterDto, SubscriptionFilterView } from '../http/subscription-filter.dto';

/** Absent is the default; anything present, null included, must be valid (IsOptional would let null by). */
const OnlyWhenPresent = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

const EXERCISES_DOC =
  'Also receive exercises and tests (type threat_level.exercise); endpoints without it never do.';

/** The formats, as the API lists them; TypeScript checks the list against WebhookEndpoint's. */
const WEBHOOK_FORMATS = [
  'standard',
  'slack',
  'teams',
  'discord',
  'telegram',
] as const satisfies readonly WebhookEndpoint['format'][];
type MissingFormat = Exclude<WebhookEndpoint['format'], (typeof WEBHOOK_FORMATS)[number]>;
const everyFormatListed: MissingFormat extends never ? true : never = true;
void everyFormatListed;

const FORMAT_DOC =
  'The body sent: standard (the signed event), or what that chat service takes: slack (incoming webhook: ' +
  'text + blocks), teams (a message with an Adaptive Card), discord (content + embeds), telegram (Bot API ' +
  'sendMessage, HTML; the URL is https://api.telegram.org/bot<token>/sendMessage). Still signed.';
const TELEGRAM_CHAT_DOC =
  "The chat a telegram endpoint posts to: its numeric id (e.g. -1001234567890) or a channel's @username. " +
  'Required for telegram, refused for every other format; leaving telegram clears it.';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateWebhookDto extends SubscriptionFilterDto {
  @ApiProperty({
    example: 'https://alerts.example.org/tocsin',
    description:
      'Where signed events are POSTed: https, no credentials or fragment, on a host that resolves to public ' +
      'addresses only (checked again at every delivery). Redirects are not followed.',
  })
  @Transform(trim)
  @IsString()
  @Length(1, 2000)
  url!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Travel-risk desk, Central Asia' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'oncall@travel-risk.example',
    description: 'Told by email if deliveries keep failing and Tocsin disables the endpoint.',
  })
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  contactEmail?: string | null;

  @ApiPropertyOptional({ default: false, description: EXERCISES_DOC })
  @OnlyWhenPresent()
  @IsBoolean()
  exercises?: boolean;

  @ApiPropertyOptional({ enum: WEBHOOK_FORMATS, default: 'standard', description: FORMAT_DOC })
  @OnlyWhenPresent()
  @IsIn(WEBHOOK_FORMATS, { message: `format must be one of ${WEBHOOK_FORMATS.join(', ')}` })
  format?: WebhookEndpoint['format'];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '-1001234567890',
    description: TELEGRAM_CHAT_DOC,
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 40)
  telegramChatId?: string | null;
}

// A field left out stays; a null is validated like any value (so `exercises: null` is a 400), and clears
// only the fields that take null (description, contactEmail, scheme, minRank, events).
export class UpdateWebhookDto extends PartialType(CreateWebhookDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({
    description: 'false stops deliveries; true resumes them and clears disabledReason.',
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class WebhookQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Admins: only the endpoints owned by this API key id.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  owner?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_GRACE_PERIOD_SECONDS,
    default: DEFAULT_GRACE_PERIOD_SECONDS,
    description: 'How long the old secret keeps signing, beside the new one; 0 retires it at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_PERIOD_SECONDS)
  gracePeriodSeconds?: number;
}

export class WebhookDto extends SubscriptionFilterView {
  @ApiProperty({ example: 'whk_0190d7e4-…' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: String, nullable: true }) contactEmail!: string | null;
  @ApiProperty({ description: EXERCISES_DOC }) exercises!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
  @ApiProperty({ enum: WEBHOOK_FORMATS, description: FORMAT_DOC }) format!: WebhookEndpoint['format'];
  @ApiProperty({ type: String, nullable: true, description: TELEGRAM_CHAT_DOC }) telegramChatId!:
    string | null;
  @ApiProperty({ example: 'whsec_AbC12x', description: 'The first characters of the current secret.' })
  secretPrefix!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'While a rotation’s grace period lasts, the previous secret signs too, until this instant.',
  })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ description: 'The API key that owns it.' }) ownerKeyId!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret (Standard Webhooks). Shown once: store it now.',
  })
  secret!: string;
}

export class WebhookListDto {
  @ApiProperty({ type: [WebhookDto] }) items!: WebhookDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RotatedSecretDto {
  @ApiProperty({ description: 'The new signing secret. Shown once.' }) secret!: string;
  @ApiProperty({ description: 'Until then messages carry a signature by the old secret as well.' })
  previousSecretExpiresAt!: string;
}

export class TestPingDto {
  @ApiProperty({ description: 'The receiver answered 2xx.' }) delivered!: boolean;
  @ApiProperty({ example: 'msg_0190d7e4-…', description: 'The webhook-id the test event carried.' })
  webhookId!: string;
  @ApiProperty({ type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty() latencyMs!: number;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The start of the answer’s body.' })
  responseExcerpt!: string | null;
}

export function renderWebhook(endpoint: WebhookEndpoint): WebhookDto {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    contactEmail: endpoint.contactEmail,
    ...renderFilter(endpoint.filter),
    exercises: endpoint.exercises,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    format: endpoint.format,
    telegramChatId: endpoint.telegramChatId,
    secretPrefix: endpoint.secretPrefix,
    previousSecretExpiresAt: endpoint.previousSecretExpiresAt?.toISOString() ?? null,
    ownerKeyId: endpoint.ownerKeyId,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

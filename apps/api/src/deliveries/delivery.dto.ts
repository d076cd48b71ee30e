import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNELS, Delivery, DeliveryAttempt, DELIVERY_STATUSES, DeliveryStatus } from '@tocsin/delivery';
import { IsIn, IsOptional } from 'class-validator';
import { IsInstant, PageQuery } from '../http/shared.dto';

export class DeliveryQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

export class RecoverDto {
  @ApiProperty({
    example: '2026-11-27T00:00:00Z',
    description: 'Replay failed deliveries created since then.',
  })
  @IsInstant()
  since!: string;
}

export class DeliveryDto {
  @ApiProperty({ description: 'Also the `webhook-id` of every attempt.' }) id!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ type: String, nullable: true }) webhookEndpointId!: string | null;
  @ApiProperty({ type: String, nullable: true }) emailSubscriptionId!: string | null;
  @ApiProperty({ type: String, nullable: true }) smsSubscriptionId!: string | null;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    description: '`sent`: an SMS the SMSC took, waiting for its delivery receipt.',
  })
  status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true }) nextAttemptAt!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastStatusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastLatencyMs!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The start of the last answer.' })
  responseExcerpt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) deliveredAt!: string | null;
}

export class DeliveryAttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs!: number | null;
  @ApiProperty({ type: String, nullable: true }) responseExcerpt!: string | null;
}

export class DeliveryDetailDto extends DeliveryDto {
  @ApiProperty({ type: [DeliveryAttemptDto] }) attemptsLog!: DeliveryAttemptDto[];
}

export class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RecoveredDto {
  @ApiProperty({ description: 'Failed deliveries sent again.' }) recovered!: number;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const renderDelivery = (d: Delivery): DeliveryDto => ({
  id: d.id,
  channel: d.channel,
  eventId: d.eventId,
  webhookEndpointId: d.webhookEndpointId,
  emailSubscriptionId: d.emailSubscriptionId,
  smsSubscriptionId: d.smsSubscriptionId,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: iso(d.nextAttemptAt),
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastLatencyMs: d.lastLatencyMs,
  responseExcerpt: d.responseExcerpt,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: iso(d.deliveredAt),
});
export const renderAttempt = (a: DeliveryAttempt): DeliveryAttemptDto => ({ ...a, at: a.at.toISOString() });

import { ApiProperty } from '@nestjs/swagger';
import { DeliverySummary } from '@tocsin/delivery';

export class DeliveryCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() pending!: number;
  @ApiProperty({ description: 'An SMS the SMSC took, waiting for its delivery receipt.' }) sent!: number;
  @ApiProperty() delivered!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ description: 'Not sent: the subscriber went away or stopped hearing it meanwhile.' })
  skipped!: number;
  @ApiProperty({
    description:
      'Emails waiting for their subscriber’s daily or weekly digest (below its immediate threshold): not ' +
      'pending, since nothing is tried until the digest goes out, and the fan-out is done without them.',
  })
  held!: number;
}

export class DeliveryCountsByChannelDto {
  @ApiProperty({ type: DeliveryCountsDto }) webhook!: DeliveryCountsDto;
  @ApiProperty({ type: DeliveryCountsDto }) email!: DeliveryCountsDto;
  @ApiProperty({ type: DeliveryCountsDto }) sms!: DeliveryCountsDto;
}

export class DeliverySummaryDto extends DeliveryCountsDto {
  @ApiProperty({
    description:
      'The counts are of the deliveries of every event of the declaration due so far: its start, and its ' +
      'expiry or cancellation once that has come (each announced to its subscribers in turn), so a ' +
      'declaration that ends adds its end’s deliveries to the same totals. An integrator counts only ' +
      'the deliveries to its own endpoints.',
  })
  declarationId!: string;
  @ApiProperty({ type: DeliveryCountsByChannelDto }) byChannel!: DeliveryCountsByChannelDto;
  @ApiProperty({ type: String, nullable: true, description: 'When its first delivery was created.' })
  startedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastDeliveredAt!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'When the last delivery settled, once `fannedOut` and nothing is pending.',
  })
  finishedAt!: string | null;
  @ApiProperty({
    description:
      'Deliveries that came to delivered or failed per second, over the last 10 s (or since the start).',
  })
  ratePerSecond!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Seconds until nothing is pending at `ratePerSecond`: 0 when done, null while there is no rate. ' +
      'Before `fannedOut`, of the deliveries created so far.',
  })
  etaSeconds!: number | null;
  @ApiProperty({
    description:
      'Every event due so far has every matching subscriber’s delivery: no more will be added. False for ' +
      'a scheduled declaration that has not started.',
  })
  fannedOut!: boolean;
  @ApiProperty({ description: 'Its events due so far.' }) events!: number;
}

const instant = (at: Date | null) => at?.toISOString() ?? null;

export function renderSummary(summary: DeliverySummary): DeliverySummaryDto {
  return {
    ...summary,
    startedAt: instant(summary.startedAt),
    lastDeliveredAt: instant(summary.lastDeliveredAt),
    finishedAt: instant(summary.finishedAt),
  };
}

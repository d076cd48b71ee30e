import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import {
  Delivery,
  DeliveryAttempt,
  DeliveryLogService,
  DELIVERY_STATUSES,
  DeliveryStatus,
} from '@tocsin/delivery';
import { IsIn, IsOptional } from 'class-validator';
import { page } from '../http/cursor';
import { IsInstant, PageQuery, toInstant } from '../http/shared.dto';

class DeliveryQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;
}

class RecoverDto {
  @ApiProperty({
    example: '2026-11-27T00:00:00Z',
    description: 'Replay failed deliveries created since then.',
  })
  @IsInstant()
  since!: string;
}

class DeliveryDto {
  @ApiProperty({ description: 'Also the `webhook-id` of every attempt.' }) id!: string;
  @ApiProperty({ enum: ['webhook', 'email'] }) channel!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty({ type: String, nullable: true }) webhookEndpointId!: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
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

class DeliveryAttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: Number, nullable: true }) statusCode!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs!: number | null;
  @ApiProperty({ type: String, nullable: true }) responseExcerpt!: string | null;
}

class DeliveryDetailDto extends DeliveryDto {
  @ApiProperty({ type: [DeliveryAttemptDto] }) attemptsLog!: DeliveryAttemptDto[];
}

class DeliveryListDto {
  @ApiProperty({ type: [DeliveryDto] }) items!: DeliveryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

class RecoveredDto {
  @ApiProperty({ description: 'Failed deliveries sent again.' }) recovered!: number;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;
const render = (d: Delivery): DeliveryDto => ({
  id: d.id,
  channel: d.channel,
  eventId: d.eventId,
  webhookEndpointId: d.webhookEndpointId,
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
const renderAttempt = (a: DeliveryAttempt): DeliveryAttemptDto => ({ ...a, at: a.at.toISOString() });

@ApiTags('deliveries')
@ApiBearerAuth()
@RequireRole('integrator', 'admin')
@Controller('v1')
export class DeliveriesController {
  constructor(private readonly log: DeliveryLogService) {}

  @Get('deliveries')
  @ApiOkResponse({
    type: DeliveryListDto,
    description: 'Newest first; an integrator sees deliveries to its own endpoints.',
  })
  async list(@Query() query: DeliveryQueryDto, @Caller() caller: Principal): Promise<DeliveryListDto> {
    return page(query, (window) => this.log.list({ ...window, status: query.status }, caller), render);
  }

  @Get('deliveries/:id')
  @ApiOkResponse({ type: DeliveryDetailDto, description: 'One delivery with every attempt.' })
  async one(@Param('id') id: string, @Caller() caller: Principal): Promise<DeliveryDetailDto> {
    const delivery = await this.log.get(id, caller);
    return { ...render(delivery), attemptsLog: delivery.attemptsLog.map(renderAttempt) };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @ApiOkResponse({
    type: DeliveryDto,
    description: 'A failed delivery is sent again, with the same webhook-id.',
  })
  async retry(@Param('id') id: string, @Caller() caller: Principal): Promise<DeliveryDto> {
    return render(await this.log.retry(id, caller));
  }

  @Get('webhooks/:id/deliveries')
  @ApiOkResponse({ type: DeliveryListDto, description: 'Deliveries to one endpoint, newest first.' })
  async forEndpoint(
    @Param('id') id: string,
    @Query() query: DeliveryQueryDto,
    @Caller() caller: Principal,
  ): Promise<DeliveryListDto> {
    return page(
      query,
      (window) => this.log.listForEndpoint(id, { ...window, status: query.status }, caller),
      render,
    );
  }

  @Post('webhooks/:id/recover')
  @HttpCode(202)
  @ApiOkResponse({
    type: RecoveredDto,
    description: 'Sends again every failed delivery to the endpoint since `since`.',
  })
  async recover(
    @Param('id') id: string,
    @Body() body: RecoverDto,
    @Caller() caller: Principal,
  ): Promise<RecoveredDto> {
    return { recovered: await this.log.recover(id, toInstant(body.since), caller) };
  }
}

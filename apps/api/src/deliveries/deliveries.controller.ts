import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { DeliveryLogService } from '@tocsin/delivery';
import { page } from '../http/cursor';
import { toInstant } from '../http/shared.dto';
import {
  DeliveryDetailDto,
  DeliveryDto,
  DeliveryListDto,
  DeliveryQueryDto,
  RecoverDto,
  RecoveredDto,
  renderAttempt,
  renderDelivery,
} from './delivery.dto';

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
    return page(
      query,
      (window) => this.log.list({ ...window, status: query.status }, caller),
      renderDelivery,
    );
  }

  @Get('deliveries/:id')
  @ApiOkResponse({ type: DeliveryDetailDto, description: 'One delivery with every attempt.' })
  async one(@Param('id') id: string, @Caller() caller: Principal): Promise<DeliveryDetailDto> {
    const delivery = await this.log.get(id, caller);
    return { ...renderDelivery(delivery), attemptsLog: delivery.attemptsLog.map(renderAttempt) };
  }

  @Post('deliveries/:id/retry')
  @HttpCode(202)
  @ApiOkResponse({
    type: DeliveryDto,
    description: 'A failed delivery is sent again, with the same webhook-id.',
  })
  async retry(@Param('id') id: string, @Caller() caller: Principal): Promise<DeliveryDto> {
    return renderDelivery(await this.log.retry(id, caller));
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
      renderDelivery,
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

import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { DeliveryLogService } from '@tocsin/delivery';
import { DeliverySummaryDto, renderSummary } from './declaration-deliveries.dto';

/** The deliveries of one declaration, as its publisher watches them go out (DESIGN §5.6). */
@ApiTags('deliveries')
@ApiBearerAuth()
@RequireRole('publisher', 'admin', 'integrator')
@Controller('v1/declarations')
export class DeclarationDeliveriesController {
  constructor(private readonly log: DeliveryLogService) {}

  @Get(':id/deliveries/summary')
  @ApiOkResponse({
    type: DeliverySummaryDto,
    description:
      'How far its fan-out has come: counts by status and channel, the rate and the time left. ' +
      'An integrator counts the deliveries to its own endpoints.',
  })
  async summary(@Param('id') id: string, @Caller() caller: Principal): Promise<DeliverySummaryDto> {
    return renderSummary(await this.log.summaryOf(id, caller));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { DEFAULT_GRACE_PERIOD_SECONDS, WebhookEndpointsService } from '@tocsin/webhooks';
import { page } from '../http/cursor';
import { ProblemDto } from '../http/shared.dto';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  renderWebhook,
  RotatedSecretDto,
  RotateSecretDto,
  TestPingDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookListDto,
  WebhookQueryDto,
} from './webhook.dto';

const FORMAT_REFUSED =
  'A malformed body: an unknown format, telegram without a telegramChatId, or one given for another format.';

@ApiTags('webhooks')
@ApiBearerAuth()
@RequireRole('integrator', 'admin')
@ApiNotFoundResponse({ type: ProblemDto, description: 'No such endpoint, or not one of yours.' })
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookEndpointsService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookDto, description: 'The secret is in this answer only.' })
  @ApiBadRequestResponse({ type: ProblemDto, description: FORMAT_REFUSED })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: 'A refused URL, area, scheme or rank.' })
  async create(@Body() body: CreateWebhookDto, @Caller() caller: Principal): Promise<CreatedWebhookDto> {
    const { url, description, contactEmail, exercises, format, telegramChatId, ...filter } = body;
    const created = await this.webhooks.create(
      { url, description, contactEmail, exercises, format, telegramChatId, filter },
      caller,
    );
    return { ...renderWebhook(created), secret: created.secret };
  }

  @Get()
  @ApiOkResponse({ type: WebhookListDto, description: 'Newest first; an integrator sees its own only.' })
  async list(@Query() query: WebhookQueryDto, @Caller() caller: Principal): Promise<WebhookListDto> {
    return page(
      query,
      (window) => this.webhooks.list({ ...window, ownerKeyId: query.owner }, caller),
      renderWebhook,
    );
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookDto })
  async one(@Param('id') id: string, @Caller() caller: Principal): Promise<WebhookDto> {
    return renderWebhook(await this.webhooks.get(id, caller));
  }

  @Patch(':id')
  @ApiOkResponse({
    type: WebhookDto,
    description:
      'Changes the URL, description, filter, exercises opt-in or format (and Telegram chat), or enables/disables.',
  })
  @ApiBadRequestResponse({ type: ProblemDto, description: FORMAT_REFUSED })
  @ApiUnprocessableEntityResponse({ type: ProblemDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateWebhookDto,
    @Caller() caller: Principal,
  ): Promise<WebhookDto> {
    const { url, description, contactEmail, enabled, exercises, format, telegramChatId, ...filter } = body;
    const change = { url, description, contactEmail, enabled, exercises, format, telegramChatId, filter };
    return renderWebhook(await this.webhooks.update(id, change, caller));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted: nothing more is sent to it.' })
  async remove(@Param('id') id: string, @Caller() caller: Principal): Promise<void> {
    await this.webhooks.delete(id, caller);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: RotatedSecretDto, description: 'Both secrets sign until the grace period ends.' })
  async rotateSecret(
    @Param('id') id: string,
    @Body() body: RotateSecretDto,
    @Caller() caller: Principal,
  ): Promise<RotatedSecretDto> {
    const rotated = await this.webhooks.rotateSecret(
      id,
      body.gracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS,
      caller,
    );
    return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() };
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOkResponse({
    type: TestPingDto,
    description: 'Sends a signed webhook.test event now; a receiver that fails is reported, not an error.',
  })
  @ApiConflictResponse({ type: ProblemDto, description: 'The endpoint is disabled.' })
  async test(@Param('id') id: string, @Caller() caller: Principal): Promise<TestPingDto> {
    const outcome = await this.webhooks.sendTestPing(id, caller);
    return {
      delivered: outcome.ok,
      webhookId: outcome.webhookId,
      statusCode: outcome.statusCode,
      latencyMs: outcome.latencyMs,
      error: outcome.error,
      responseExcerpt: outcome.responseExcerpt,
    };
  }
}

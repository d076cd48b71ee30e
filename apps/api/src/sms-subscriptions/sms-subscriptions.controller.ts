import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { SmsSubscriptionsService } from '@tocsin/sms';
import { renderTrip } from '../email-subscriptions/email-subscription.dto';
import { SignUpThrottle, SIGNUPS_PER_CLIENT_PER_HOUR } from '../email-subscriptions/sign-up-throttle.guard';
import { page } from '../http/cursor';
import { ProblemDto } from '../http/shared.dto';
import { renderFilter } from '../http/subscription-filter.dto';
import {
  renderSmsSubscription,
  SmsAcceptedDto,
  SmsConfirmDto,
  SmsSetEnabledDto,
  SmsSignUpDto,
  SmsSubscriberViewDto,
  SmsSubscriptionDto,
  SmsSubscriptionListDto,
  SmsSubscriptionQueryDto,
} from './sms-subscription.dto';

@ApiTags('sms subscriptions')
@Controller('v1/sms-subscriptions')
export class SmsSubscriptionsController {
  constructor(private readonly subscriptions: SmsSubscriptionsService) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: SmsAcceptedDto,
    description:
      'The same answer whether or not the number is known; an SMS with a 6-digit code follows if one may be ' +
      'sent (at most one a minute and five a day per number, none while it is locked).',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description: `More than ${SIGNUPS_PER_CLIENT_PER_HOUR} sign-ups (email and SMS) from this client in the hour; see Retry-After. Admin keys are exempt.`,
  })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'SMS is not set up (SMPP_URL is unset).' })
  @UseGuards(SignUpThrottle)
  async signUp(
    @Body() body: SmsSignUpDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<SmsAcceptedDto> {
    const { phone, language, exercises, activeFrom, activeUntil, ...filter } = body;
    const wishes = await this.subscriptions.signUp(phone, filter, {
      language,
      exercises,
      acceptLanguage,
      trip: { activeFrom, activeUntil },
    });
    return {
      status: 'accepted',
      message: 'If this number can receive alerts, an SMS with a code is on its way; confirm with it.',
      ...wishes,
      ...renderTrip(wishes),
    };
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: SmsSubscriberViewDto, description: 'Confirmed: alerts will be texted.' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description:
      'A wrong or expired code, or no code pending for the number (one answer for all); the fifth wrong code in a row locks the number.',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description:
      'The number is locked for an hour after five wrong codes (Retry-After); even the right code is refused, and a new one is needed afterwards.',
  })
  async confirm(@Body() body: SmsConfirmDto): Promise<SmsSubscriberViewDto> {
    const subscription = await this.subscriptions.confirm(body.phone, body.code);
    return {
      status: subscription.status,
      message: 'You will now receive Tocsin alerts by SMS for the areas you chose. Reply STOP to end them.',
      filter: renderFilter(subscription.filter),
      language: subscription.language,
      exercises: subscription.exercises,
      ...renderTrip(subscription),
    };
  }

  @Get()
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SmsSubscriptionListDto, description: 'Newest first; `q` searches numbers.' })
  async list(@Query() query: SmsSubscriptionQueryDto): Promise<SmsSubscriptionListDto> {
    return page(
      query,
      (window) => this.subscriptions.list({ ...window, status: query.status, search: query.q }),
      renderSmsSubscription,
    );
  }

  @Get(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SmsSubscriptionDto })
  async one(@Param('id') id: string): Promise<SmsSubscriptionDto> {
    return renderSmsSubscription(await this.subscriptions.get(id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: SmsSubscriptionDto })
  async setEnabled(@Param('id') id: string, @Body() body: SmsSetEnabledDto): Promise<SmsSubscriptionDto> {
    return renderSmsSubscription(await this.subscriptions.setEnabled(id, body.enabled));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Erases the subscriber and its number (right to erasure).' })
  async erase(@Param('id') id: string, @Caller() caller: Principal): Promise<void> {
    await this.subscriptions.erase(id, caller);
  }
}

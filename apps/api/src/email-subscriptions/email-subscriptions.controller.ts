import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiConsumes,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { Caller, Principal, RequireRole } from '@tocsin/auth';
import { UiLanguage } from '@tocsin/i18n';
import { SchemesService, schemeText } from '@tocsin/schemes';
import { EmailSubscription, EmailSubscriptionsService } from '@tocsin/subscribers';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { page } from '../http/cursor';
import { ProblemDto } from '../http/shared.dto';
import { renderFilter } from '../http/subscription-filter.dto';
import {
  AcceptedDto,
  ConfirmDto,
  deliveryOfBody,
  EmailSubscriptionDto,
  EmailSubscriptionListDto,
  EmailSubscriptionQueryDto,
  formToFilter,
  formToSettings,
  PreferencesFormDto,
  renderDelivery,
  renderSubscription,
  renderTrip,
  SetEnabledDto,
  SignUpDto,
  SubscriberPreferencesDto,
  SubscriberViewDto,
  TokenQuery,
} from './email-subscription.dto';
import {
  confirmQuestionPage,
  endedPage,
  failurePage,
  messagePage,
  preferencesPage,
  SUBSCRIBER_PAGE_HEADERS,
  unsubscribeQuestionPage,
} from './pages';
import { SignUpThrottle, SIGNUPS_PER_CLIENT_PER_HOUR } from './sign-up-throttle.guard';

const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

@ApiTags('email subscriptions')
@Controller('v1/email-subscriptions')
export class EmailSubscriptionsController {
  constructor(
    private readonly subscriptions: EmailSubscriptionsService,
    private readonly schemes: SchemesService,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedDto,
    description:
      'The same answer whether or not the address is known; a confirmation email follows if it may be sent.',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDto,
    description: `More than ${SIGNUPS_PER_CLIENT_PER_HOUR} sign-ups from this client in the hour; see Retry-After. Admin keys are exempt.`,
  })
  @UseGuards(SignUpThrottle)
  async signUp(
    @Body() body: SignUpDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<AcceptedDto> {
    const { email, language, timeZone, exercises, activeFrom, activeUntil, ...rest } = body;
    const { delivery, immediateMinRank, digestHour, digestWeekday, ...filter } = rest;
    const settings = await this.subscriptions.signUp(email, filter, {
      language,
      timeZone,
      exercises,
      acceptLanguage,
      delivery: deliveryOfBody({ delivery, immediateMinRank, digestHour, digestWeekday }),
      trip: { activeFrom, activeUntil },
    });
    return {
      status: 'accepted',
      message: 'If this address can receive alerts, a confirmation email is on its way.',
      ...settings,
      ...renderTrip(settings),
    };
  }

  @Get('confirm')
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({
    type: SubscriberViewDto,
    description: 'Asks, with a Confirm button; it does not confirm (mail scanners follow links).',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'A forged or replaced link.' })
  @ApiGoneResponse({ type: ProblemDto, description: 'An expired link, or a subscription no longer pending.' })
  askConfirm(
    @Query() query: TokenQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(request, reply, async () => {
      const subscription = await this.subscriptions.peekConfirm(query.token);
      return {
        json: {
          status: subscription.status,
          message:
            subscription.status === 'confirmed'
              ? 'This subscription is already confirmed.'
              : 'POST {"token"} to this URL to confirm.',
          ...settingsOf(subscription),
        },
        html: confirmQuestionPage(this.subscriptions.uiLanguageOf(subscription), query.token, subscription),
      };
    });
  }

  @Post('confirm')
  @HttpCode(200)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({
    type: SubscriberViewDto,
    description: 'Confirms; the button of the confirmation page posts its form here.',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'A forged or replaced token.' })
  @ApiGoneResponse({
    type: ProblemDto,
    description: 'An expired token, or a subscription no longer pending.',
  })
  confirm(
    @Body() body: ConfirmDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(request, reply, async () => {
      const subscription = await this.subscriptions.confirm(body.token);
      return this.view(
        subscription,
        'You will now receive Tocsin alerts for the areas you chose.',
        'email.page.confirmedTitle',
        'email.page.confirmedBody',
      );
    });
  }

  @Get('unsubscribe')
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({
    type: SubscriberViewDto,
    description: 'Asks; it does not unsubscribe (mail scanners follow links).',
  })
  askUnsubscribe(
    @Query() query: TokenQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(request, reply, async () => {
      const subscription = await this.subscriptions.peekUnsubscribe(query.token);
      return {
        json: {
          status: subscription.status,
          message: 'POST to this URL to unsubscribe.',
          ...settingsOf(subscription),
        },
        html: unsubscribeQuestionPage(
          this.subscriptions.uiLanguageOf(subscription),
          query.token,
          subscription,
        ),
      };
    });
  }

  @Post('unsubscribe')
  @HttpCode(200)
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({
    type: SubscriberViewDto,
    description: 'Unsubscribes; RFC 8058 one-click (List-Unsubscribe=One-Click) lands here.',
  })
  unsubscribe(
    @Query() query: TokenQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(request, reply, async () => {
      const subscription = await this.subscriptions.unsubscribe(query.token);
      return this.view(
        subscription,
        'No more Tocsin alerts will be sent to this address.',
        'email.page.unsubscribedTitle',
        'email.page.unsubscribedBody',
      );
    });
  }

  @Get('manage')
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({
    type: SubscriberViewDto,
    description: 'The subscription’s filter, as a form for a browser.',
  })
  preferences(
    @Query() query: TokenQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(request, reply, async () =>
      this.preferencesView(query.token, await this.subscriptions.preferences(query.token), false),
    );
  }

  @Post('manage')
  @HttpCode(200)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The preferences form of the page (application/x-www-form-urlencoded).' })
  savePreferencesForm(
    @Query() query: TokenQuery,
    @Body() form: PreferencesFormDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer(request, reply, async () =>
      this.preferencesView(
        query.token,
        await this.subscriptions.updatePreferences(query.token, formToFilter(form), formToSettings(form)),
        true,
      ),
    );
  }

  @Put('manage')
  @ApiOkResponse({
    type: SubscriberViewDto,
    description:
      'Replaces the subscription’s filter; its language, time zone and exercises opt-in change where given.',
  })
  async savePreferences(
    @Query() query: TokenQuery,
    @Body() body: SubscriberPreferencesDto,
  ): Promise<SubscriberViewDto> {
    const { language, timeZone, exercises, activeFrom, activeUntil, ...rest } = body;
    const { delivery, immediateMinRank, digestHour, digestWeekday, ...filter } = rest;
    const subscription = await this.subscriptions.updatePreferences(query.token, filter, {
      language,
      timeZone,
      exercises,
      delivery: deliveryOfBody({ delivery, immediateMinRank, digestHour, digestWeekday }),
      trip: { activeFrom, activeUntil },
    });
    return {
      status: subscription.status,
      message: 'Saved.',
      filter: renderFilter(subscription.filter),
      exercises: subscription.exercises,
      ...settingsOf(subscription),
    };
  }

  @Get()
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: EmailSubscriptionListDto, description: 'Newest first; `q` searches addresses.' })
  async list(@Query() query: EmailSubscriptionQueryDto): Promise<EmailSubscriptionListDto> {
    return page(
      query,
      (window) => this.subscriptions.list({ ...window, status: query.status, search: query.q }),
      renderSubscription,
    );
  }

  @Get(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: EmailSubscriptionDto })
  async one(@Param('id') id: string): Promise<EmailSubscriptionDto> {
    return renderSubscription(await this.subscriptions.get(id));
  }

  @Patch(':id')
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: EmailSubscriptionDto })
  async setEnabled(@Param('id') id: string, @Body() body: SetEnabledDto): Promise<EmailSubscriptionDto> {
    return renderSubscription(await this.subscriptions.setEnabled(id, body.enabled));
  }

  @Post(':id/resume')
  @HttpCode(200)
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiOkResponse({
    type: EmailSubscriptionDto,
    description:
      'Confirms a subscription suspended for bounces again (the address works again); alerts reach it from the next one on.',
  })
  @ApiNotFoundResponse({ type: ProblemDto })
  @ApiConflictResponse({ type: ProblemDto, description: 'It is not suspended.' })
  async resume(@Param('id') id: string, @Caller() caller: Principal): Promise<EmailSubscriptionDto> {
    return renderSubscription(await this.subscriptions.resume(id, caller));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Erases the subscriber and its address (right to erasure).' })
  async erase(@Param('id') id: string, @Caller() caller: Principal): Promise<void> {
    await this.subscriptions.erase(id, caller);
  }

  private async preferencesView(token: string, subscription: EmailSubscription, saved: boolean) {
    const ui = this.subscriptions.uiLanguageOf(subscription);
    if (subscription.status === 'ended') {
      return {
        json: {
          status: subscription.status,
          message: 'This trip is over: no more alerts are sent for it. Sign up again for another trip.',
          ...settingsOf(subscription),
        },
        html: endedPage(ui, subscription),
      };
    }
    const [schemes, links] = await Promise.all([
      this.schemes.list(),
      this.subscriptions.linksFor(subscription),
    ]);
    return {
      json: {
        status: subscription.status,
        message: saved ? 'Saved.' : 'Your alert preferences.',
        filter: renderFilter(subscription.filter),
        exercises: subscription.exercises,
        ...settingsOf(subscription),
      },
      html: preferencesPage({
        ui,
        token,
        subscription,
        schemes: schemes.map((s) => ({ id: s.id, name: schemeText(s, ui).name })),
        unsubscribeUrl: links.unsubscribeUrl,
        saved,
      }),
    };
  }

  /** JSON for programs, a page for people; a page's error is a page too, with the same status. */
  private async answer(
    request: FastifyRequest,
    reply: FastifyReply,
    work: () => Promise<{ json: SubscriberViewDto; html: string }>,
  ): Promise<SubscriberViewDto | string> {
    const html = wantsHtml(request);
    try {
      const result = await work();
      if (!html) return result.json;
      void reply.headers(SUBSCRIBER_PAGE_HEADERS).type('text/html; charset=utf-8');
      return result.html;
    } catch (error) {
      if (!html || !(error instanceof HttpException)) throw error;
      // No subscription answered the link, so the reader's browser says which language to answer in.
      const ui = this.subscriptions.negotiate(request.headers['accept-language']);
      void reply.status(error.getStatus()).headers(SUBSCRIBER_PAGE_HEADERS).type('text/html; charset=utf-8');
      return failurePage(ui, error.getStatus());
    }
  }

  /** The answer of an act: the English message for programs, the page in the subscriber's language. */
  private view(subscription: EmailSubscription, message: string, titleKey: string, messageKey: string) {
    const ui: UiLanguage = this.subscriptions.uiLanguageOf(subscription);
    return {
      json: { status: subscription.status, message, ...settingsOf(subscription) },
      html: messagePage(ui, titleKey, messageKey),
    };
  }
}

const settingsOf = (subscription: EmailSubscription) => ({
  language: subscription.language,
  timeZone: subscription.timeZone,
  ...renderDelivery(subscription),
  ...renderTrip(subscription),
});

import {
  Body,
  Controller,
  Delete,
  Get,
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
  ApiConsumes,
  ApiGoneResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { RequireRole } from '@tocsin/auth';
import { SchemesService } from '@tocsin/schemes';
import { EmailSubscription, EmailSubscriptionsService } from '@tocsin/subscribers';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { page } from '../http/cursor';
import { ProblemDto } from '../http/shared.dto';
import { renderFilter, SubscriptionFilterDto } from '../http/subscription-filter.dto';
import {
  AcceptedDto,
  ConfirmDto,
  EmailSubscriptionDto,
  EmailSubscriptionListDto,
  EmailSubscriptionQueryDto,
  formToFilter,
  PreferencesFormDto,
  renderSubscription,
  SetEnabledDto,
  SignUpDto,
  SubscriberViewDto,
  TokenQuery,
} from './email-subscription.dto';
import {
  confirmQuestionPage,
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
  async signUp(@Body() body: SignUpDto): Promise<AcceptedDto> {
    const { email, ...filter } = body;
    await this.subscriptions.signUp(email, filter);
    return {
      status: 'accepted',
      message: 'If this address can receive alerts, a confirmation email is on its way.',
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
        },
        html: confirmQuestionPage(query.token, subscription),
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
      return view(
        subscription,
        'Subscription confirmed',
        'You will now receive Tocsin alerts for the areas you chose.',
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
        json: { status: subscription.status, message: 'POST to this URL to unsubscribe.' },
        html: unsubscribeQuestionPage(query.token, subscription),
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
      return view(subscription, 'Unsubscribed', 'No more Tocsin alerts will be sent to this address.');
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
        await this.subscriptions.updatePreferences(query.token, formToFilter(form)),
        true,
      ),
    );
  }

  @Put('manage')
  @ApiOkResponse({ type: SubscriberViewDto, description: 'Replaces the subscription’s filter.' })
  async savePreferences(
    @Query() query: TokenQuery,
    @Body() body: SubscriptionFilterDto,
  ): Promise<SubscriberViewDto> {
    const subscription = await this.subscriptions.updatePreferences(query.token, body);
    return { status: subscription.status, message: 'Saved.', filter: renderFilter(subscription.filter) };
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

  @Delete(':id')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Erases the subscriber and its address (right to erasure).' })
  async erase(@Param('id') id: string): Promise<void> {
    await this.subscriptions.erase(id);
  }

  private async preferencesView(token: string, subscription: EmailSubscription, saved: boolean) {
    const [schemes, links] = await Promise.all([
      this.schemes.list(),
      this.subscriptions.linksFor(subscription),
    ]);
    return {
      json: {
        status: subscription.status,
        message: saved ? 'Saved.' : 'Your alert preferences.',
        filter: renderFilter(subscription.filter),
      },
      html: preferencesPage({
        token,
        subscription,
        schemeIds: schemes.map((s) => s.id),
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
      void reply.status(error.getStatus()).headers(SUBSCRIBER_PAGE_HEADERS).type('text/html; charset=utf-8');
      return messagePage('This link did not work', error.message);
    }
  }
}

function view(subscription: EmailSubscription, title: string, message: string) {
  return { json: { status: subscription.status, message }, html: messagePage(title, message) };
}

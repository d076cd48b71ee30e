import { EmailSubscriptionsService } from '@tocsin/subscribers';
import { DeliveriesRepository } from './deliveries.repository';
import { SettledEmailDelivery } from './email-bounces';
import { BounceCandidate, EmailBounces } from './email-bounces.service';
import { RetryDecision } from './retry-policy';
import { emailDelivery, webhookDelivery } from './testing/fakes';

const PERMANENT: RetryDecision = { kind: 'failed', reason: 'a permanent error' };
const EXHAUSTED: RetryDecision = { kind: 'failed', reason: 'no success after 8 attempts' };
const RETRY: RetryDecision = { kind: 'retry', delayMs: 5000 };
const bounce = (n: number): SettledEmailDelivery => ({
  status: 'failed',
  statusCode: 550,
  error: `550 no such mailbox (${n}); a permanent error`,
});
const DELIVERED: SettledEmailDelivery = { status: 'delivered', statusCode: 250, error: null };

describe('EmailBounces', () => {
  /** Each subscription's latest settled deliveries, newest first, as the repository answers them. */
  let history: Map<string, SettledEmailDelivery[]>;
  let lookups: string[][];
  let suspended: Map<string, string>[];
  let bounces: EmailBounces;
  let made = 0;
  const attempt = (
    subscriptionId: string,
    statusCode: number | null,
    decision: RetryDecision,
  ): BounceCandidate => ({
    row: emailDelivery(`dlv_${++made}`, { id: subscriptionId }),
    outcome: { statusCode },
    decision,
  });

  beforeEach(() => {
    history = new Map();
    lookups = [];
    suspended = [];
    const deliveries = {
      async latestSettledEmailDeliveries(ids: string[], count: number) {
        lookups.push([...ids].sort());
        return new Map(
          ids.flatMap((id) => (history.has(id) ? [[id, history.get(id)!.slice(0, count)]] : [])),
        );
      },
    };
    const subscriptions = {
      async suspendForBounces(reasons: ReadonlyMap<string, string>) {
        suspended.push(new Map(reasons));
        return [...reasons.keys()];
      },
    };
    bounces = new EmailBounces(
      deliveries as unknown as DeliveriesRepository,
      subscriptions as unknown as EmailSubscriptionsService,
    );
  });

  it('suspends, in one write, the subscriptions whose last three deliveries all bounced, saying why', async () => {
    history.set('sub_dead', [bounce(3), bounce(2), bounce(1)]);
    history.set('sub_dead_too', [bounce(6), bounce(5), bounce(4), DELIVERED]);
    history.set('sub_new', [bounce(7), bounce(8)]);
    history.set('sub_back', [bounce(9), DELIVERED, bounce(10)]);

    await bounces.review([
      attempt('sub_dead', 550, PERMANENT),
      attempt('sub_dead_too', 553, PERMANENT),
      attempt('sub_new', 550, PERMANENT),
      attempt('sub_back', 550, PERMANENT),
    ]);

    expect(lookups).toEqual([['sub_back', 'sub_dead', 'sub_dead_too', 'sub_new']]);
    expect(suspended).toEqual([
      new Map([
        [
          'sub_dead',
          '3 permanent SMTP failures in a row; the last: 550 no such mailbox (3); a permanent error',
        ],
        [
          'sub_dead_too',
          '3 permanent SMTP failures in a row; the last: 550 no such mailbox (6); a permanent error',
        ],
      ]),
    ]);
  });

  it('looks a subscription up once however many of its deliveries bounced in the batch', async () => {
    history.set('sub_dead', [bounce(3), bounce(2), bounce(1)]);
    await bounces.review([attempt('sub_dead', 550, PERMANENT), attempt('sub_dead', 550, PERMANENT)]);
    expect(lookups).toEqual([['sub_dead']]);
    expect(suspended.map((reasons) => [...reasons.keys()])).toEqual([['sub_dead']]);
  });

  it('asks nothing of a batch without a permanent email failure: deliveries, retries, 4xx, webhooks', async () => {
    history.set('sub_a', [bounce(3), bounce(2), bounce(1)]);
    await bounces.review([
      attempt('sub_a', 250, { kind: 'delivered' }),
      attempt('sub_a', 451, RETRY),
      attempt('sub_a', 451, EXHAUSTED),
      attempt('sub_a', null, EXHAUSTED),
      { row: webhookDelivery('dlv_hook'), outcome: { statusCode: 500 }, decision: EXHAUSTED },
    ]);
    expect(lookups).toEqual([]);
    expect(suspended).toEqual([]);
  });

  it('writes nothing when no subscription looked at has bounced three times in a row', async () => {
    history.set('sub_new', [bounce(1)]);
    await bounces.review([attempt('sub_new', 550, PERMANENT)]);
    expect(lookups).toEqual([['sub_new']]);
    expect(suspended).toEqual([]);
  });
});

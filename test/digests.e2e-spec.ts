// Digests (issue 18, DESIGN.md §5.6) over real SMTP with the whole app and its worker: a daily subscriber
// with an immediate threshold; a change below it is held (no email), an escalation that reaches it is sent at
// once beside it, and the digest carrying the held change arrives at the digest hour. The worker's sweep runs
// every second (DIGEST_SWEEP_SECONDS, an operator's setting); the digest hour is reached by a test clock: the
// app's Clock port (libs/config), moved forward past the subscriber's next_digest_at.
import { AddressInfo } from 'node:net';
import { Clock } from '@tocsin/config';
import { tables } from '@tocsin/database';
import { eq } from 'drizzle-orm';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './support/eventually';
import { MAIN, RunningProcess, runBuilt } from './support/processes';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://alerts.tocsin.test';
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

describe('digests', () => {
  let smtp: SmtpSink;
  let test: TestApp;
  let clock: Clock;
  /** How far the test clock runs ahead of the real one. */
  let aheadMs = 0;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', {
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      DIGEST_SWEEP_SECONDS: '1',
      TRIP_CLOCK_SECONDS: '1',
    });
    clock = test.app.get(Clock);
    const realNow = clock.now.bind(clock);
    clock.now = () => new Date(realNow().getTime() + aheadMs);
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  /** Signs up and confirms with the link of the confirmation mail, as a subscriber does. */
  async function subscribed(email: string, body: Record<string, unknown>) {
    const accepted = await test.http
      .post('/v1/email-subscriptions')
      .send({ email, ...body })
      .expect(202);
    const [confirmation] = await smtp.waitFor(email);
    const link = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(link) })
      .expect(200);
    return accepted.body as Record<string, unknown>;
  }

  const subscriptionOf = async (email: string) => {
    const { body } = await test.http.get(`/v1/email-subscriptions?q=${email}`).set(test.as()).expect(200);
    return body.items[0] as { id: string; nextDigestAt: string | null; delivery: string };
  };

  const publish = (level: string, headline: string) =>
    test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'kz-terror',
        level,
        areas: ['KZ-75'],
        effectiveAt: new Date(Date.now() - 60_000).toISOString(),
        headline,
        summary: 'Stay alert.',
        measures: [],
        authority: 'Anti-Terrorist Centre',
      })
      .expect(201);

  const summaryOf = async (declarationId: string) =>
    eventually(
      async () =>
        (
          await test.http
            .get(`/v1/declarations/${declarationId}/deliveries/summary`)
            .set(test.as())
            .expect(200)
        ).body as { fannedOut: boolean; held: number; pending: number; delivered: number },
      (s) => s.fannedOut && s.pending === 0,
      { timeoutMs: 15_000, what: `the fan-out of ${declarationId}` },
    );

  it('holds a change below the threshold, sends an escalation at once beside it, and the held change in the digest at the digest hour', async () => {
    const address = 'daily@ngo.example';
    const accepted = await subscribed(address, {
      areas: ['KZ'],
      scheme: 'kz-terror',
      language: 'en',
      timeZone: 'Asia/Almaty',
      delivery: 'daily',
      immediateMinRank: 3,
      digestHour: 8,
    });
    expect(accepted).toMatchObject({ delivery: 'daily', immediateMinRank: 3, digestHour: 8 });
    // Almaty is UTC+5: 08:00 there is 03:00 UTC, the next one after now.
    const { id, nextDigestAt } = await subscriptionOf(address);
    const due = new Date(nextDigestAt!);
    expect(due.getUTCHours()).toBe(3);
    expect(due.getUTCMinutes()).toBe(0);
    expect(due.getTime() - Date.now()).toBeGreaterThan(0);
    expect(due.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

    // Yellow (rank 1) is below the threshold: held, no email; the fan-out is done without it.
    const low = await publish('yellow', 'Moderate terrorism threat level in Almaty');
    expect(await summaryOf(low.body.id)).toMatchObject({ held: 1, pending: 0, delivered: 0 });
    const held = await test.http.get('/v1/deliveries?status=held').set(test.as()).expect(200);
    expect(held.body.items.map((d: { emailSubscriptionId: string }) => d.emailSubscriptionId)).toEqual([id]);

    // Red (rank 3) reaches it: sent at once, nothing waits for the digest hour.
    const high = await publish('red', 'Critical terrorism threat level in Almaty');
    const [, alert] = await smtp.waitFor(address, 2, 15_000);
    expect(alert.subject).toBe('Almaty — terrorism threat level CRITICAL (red)');
    expect(alert.text).toContain('Almaty (KZ-75): MODERATE (yellow) → CRITICAL (red)');
    expect(await summaryOf(high.body.id)).toMatchObject({ held: 0, delivered: 1 });
    expect(smtp.to(address)).toHaveLength(2);

    // The digest hour comes; the mail server is away for its first try, and the digest still arrives, once.
    smtp.refuse(address, [451]);
    aheadMs = due.getTime() - Date.now() + 1000;
    const [, , digest] = await smtp.waitFor(address, 3, 20_000);
    expect(digest.subject).toBe('Tocsin digest: 1 threat-level change');
    expect(digest.headers.get('x-tocsin-digest-due')).toBe(due.toISOString());
    expect(digest.messageId).toMatch(/^<digest\.[0-9a-f]{24}@alerts\.tocsin\.test>$/);
    expect(digest.text).toContain('Moderate terrorism threat level in Almaty');
    expect(digest.text).toContain('Almaty (KZ-75): no level → MODERATE (yellow)');
    expect(digest.text).not.toContain('CRITICAL (red)');
    expect(digest.text).toContain(`Details: ${PUBLIC_URL}/country/KZ`);
    expect(digest.html).toContain('class="level-badge"');
    expect(linkIn(digest, `${PUBLIC_URL}/v1/email-subscriptions/unsubscribe?token=`)).toBeTruthy();

    // Recorded: the held delivery is delivered, the next digest is a day on, and no second digest follows.
    await eventually(
      async () => (await test.http.get('/v1/deliveries?status=held').set(test.as()).expect(200)).body.items,
      (items: unknown[]) => items.length === 0,
      { timeoutMs: 5000, what: 'no delivery held' },
    );
    expect(await summaryOf(low.body.id)).toMatchObject({ held: 0, delivered: 1 });
    const after = await subscriptionOf(address);
    expect(new Date(after.nextDigestAt!).getTime()).toBe(due.getTime() + 86_400_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(smtp.to(address).map((m: ParsedMail) => m.subject)).toEqual([
      expect.any(String),
      'Almaty — terrorism threat level CRITICAL (red)',
      'Tocsin digest: 1 threat-level change',
    ]);
  });
  /** Moves the test clock to just after `at`. */
  const passed = (at: Date) => {
    aheadMs = at.getTime() - Date.now() + 1000;
  };
  const manageTokenIn = (mail: ParsedMail) =>
    tokenOf(linkIn(mail, `${PUBLIC_URL}/v1/email-subscriptions/manage?token=`));

  it('refuses bad delivery settings with a 400 problem+json, and changes nothing', async () => {
    for (const bad of [
      { delivery: 'hourly' },
      { delivery: 'daily', digestHour: 24 },
      { delivery: 'daily', digestHour: 7.5 },
      { delivery: 'weekly', digestWeekday: 0 },
      { delivery: 'daily', immediateMinRank: 0 },
      { delivery: 'daily', immediateMinRank: '3' },
    ]) {
      const refused = await test.http
        .post('/v1/email-subscriptions')
        .send({ email: 'bad-settings@ngo.example', areas: ['KZ'], ...bad })
        .expect(400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const { body } = await test.http.get('/v1/email-subscriptions?q=bad-settings').set(test.as()).expect(200);
    expect(body.items).toEqual([]);
  });

  it('going back to immediate sends what is held at the next sweep, once; unsubscribing skips it', async () => {
    const [stays, leaves] = ['goes-immediate@ngo.example', 'unsubscribes@ngo.example'];
    for (const address of [stays, leaves])
      await subscribed(address, {
        areas: ['KZ-19'],
        // Another scheme than the first test's subscriber keeps to, which therefore hears none of this.
        scheme: 'travel-advisory',
        language: 'ru',
        timeZone: 'Asia/Almaty',
        delivery: 'daily',
        digestHour: 8,
      });
    const publishIn = (level: string, headline: string) =>
      test.http
        .post('/v1/declarations')
        .set(test.as())
        .send({
          scheme: 'travel-advisory',
          level,
          areas: ['KZ-19'],
          effectiveAt: new Date(clock.now().getTime() - 60_000).toISOString(),
          headline,
          summary: 'Stay alert.',
          measures: [],
          authority: 'Anti-Terrorist Centre',
        })
        .expect(201);

    // No threshold: every change waits. The first digest brings the first change, with the links.
    const first = await publishIn('1', 'Moderate level in Almaty region');
    expect(await summaryOf(first.body.id)).toMatchObject({ held: 2 });
    passed(new Date((await subscriptionOf(stays)).nextDigestAt!));
    const [, digest] = await smtp.waitFor(stays, 2, 20_000);
    const [, digestToLeaver] = await smtp.waitFor(leaves, 2, 20_000);
    expect(digest.subject).toBe('Сводка Tocsin: 1 изменение уровня угрозы');
    const token = manageTokenIn(digest);

    // The manage page offers the choice in the subscriber's language, and refuses a bad one.
    const page = await test.http
      .get(`/v1/email-subscriptions/manage?token=${encodeURIComponent(token)}`)
      .set('accept', 'text/html')
      .expect(200);
    expect(page.text).toContain('<option value="daily" selected>Ежедневная сводка</option>');
    expect(page.text).toContain('<option value="8" selected>08:00</option>');
    expect(page.text).toContain('понедельник');
    // When the next digest goes: 08:00 in Almaty, written for the reader.
    expect(page.text).toMatch(/Следующая сводка: [^<]+ 08:00 \(UTC\+5\)\./);
    const manage = `/v1/email-subscriptions/manage?token=${encodeURIComponent(token)}`;
    await test.http
      .put(manage)
      .send({ areas: ['KZ-19'], scheme: 'travel-advisory', digestWeekday: 8 })
      .expect(400);
    expect((await test.http.get(manage).expect(200)).body).toMatchObject({ delivery: 'daily' });

    // A second change is held for both; one goes back to immediate, the other unsubscribes.
    const second = await publishIn('2', 'High level in Almaty region');
    expect(await summaryOf(second.body.id)).toMatchObject({ held: 2 });
    const switched = await test.http
      .put(manage)
      .send({ areas: ['KZ-19'], scheme: 'travel-advisory', delivery: 'immediate' })
      .expect(200);
    expect(switched.body).toMatchObject({ delivery: 'immediate' });
    expect(switched.body.nextDigestAt).not.toBeNull();
    await test.http
      .post('/v1/email-subscriptions/unsubscribe')
      .query({
        token: tokenOf(linkIn(digestToLeaver, `${PUBLIC_URL}/v1/email-subscriptions/unsubscribe?token=`)),
      })
      .expect(200);

    const [, , last] = await smtp.waitFor(stays, 3, 20_000);
    expect(last.subject).toBe('Сводка Tocsin: 1 изменение уровня угрозы');
    expect(last.text).toContain('High level in Almaty region');
    await eventually(
      () => subscriptionOf(leaves),
      (s) => s.nextDigestAt === null,
      { what: 'the unsubscribed digest settled' },
    );
    expect((await subscriptionOf(stays)).nextDigestAt).toBeNull();
    expect(await summaryOf(second.body.id)).toMatchObject({ held: 0, delivered: 1, skipped: 1 });

    // Immediate from now on: the next change comes at once; nothing more reaches the one who left.
    await publishIn('3', 'Critical level in Almaty region');
    const [, , , alert] = await smtp.waitFor(stays, 4, 20_000);
    expect(alert.subject).toContain('Алматинская область');
    expect(smtp.to(leaves)).toHaveLength(2);

    // The page's form, as a browser posts it, makes it weekly: Fridays at 18:00 in Almaty, rank 2 at once.
    await test.http
      .post(manage)
      .set('accept', 'text/html')
      .type('form')
      .send({
        areas: 'KZ-19',
        scheme: 'travel-advisory',
        minRank: '',
        events: ['escalated', 'deescalated'],
        language: 'ru',
        timeZone: 'Asia/Almaty',
        delivery: 'weekly',
        immediateMinRank: '2',
        digestHour: '18',
        digestWeekday: '5',
      })
      .expect(200);
    const weekly = (await test.http.get(manage).expect(200)).body;
    expect(weekly).toMatchObject({
      delivery: 'weekly',
      immediateMinRank: 2,
      digestHour: 18,
      digestWeekday: 5,
    });
    const friday = new Date(weekly.nextDigestAt);
    expect([friday.getUTCDay(), friday.getUTCHours(), friday.getUTCMinutes()]).toEqual([5, 13, 0]);
  });

  it('a trip that ends sends what was held within it in a last digest, and schedules none', async () => {
    const address = 'traveller@ngo.example';
    const activeUntil = new Date(clock.now().getTime() + 3_600_000);
    await subscribed(address, {
      areas: ['KZ-11'],
      scheme: 'travel-advisory',
      language: 'en',
      timeZone: 'Asia/Almaty',
      delivery: 'daily',
      activeUntil: activeUntil.toISOString(),
    });
    const { nextDigestAt } = await subscriptionOf(address);
    expect(new Date(nextDigestAt!).getTime()).toBeGreaterThan(activeUntil.getTime());
    const declared = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'travel-advisory',
        level: '2',
        areas: ['KZ-11'],
        effectiveAt: new Date(clock.now().getTime() - 60_000).toISOString(),
        headline: 'High level in Akmola region',
        summary: 'Stay alert.',
        measures: [],
        authority: 'Anti-Terrorist Centre',
      })
      .expect(201);
    expect(await summaryOf(declared.body.id)).toMatchObject({ held: 1 });

    // The trip is over before its digest hour: the trip clock ends it, and the held change goes out now.
    passed(activeUntil);
    const [, digest] = await smtp.waitFor(address, 2, 20_000);
    expect(digest.subject).toBe('Tocsin digest: 1 threat-level change');
    expect(digest.text).toContain('High level in Akmola region');
    await eventually(
      () => subscriptionOf(address),
      (s) => s.nextDigestAt === null,
      { what: "the ended trip's last digest settled" },
    );
    expect(await summaryOf(declared.body.id)).toMatchObject({ held: 0, delivered: 1 });
    const { body } = await test.http.get(`/v1/email-subscriptions?q=${address}`).set(test.as()).expect(200);
    expect(body.items[0].status).toBe('ended');
  });
});

/** An SMTP server that, while `stalling`, takes a message's data and never answers it: a send in flight. */
class StallingSmtp {
  readonly messages: ParsedMail[] = [];
  stalling = false;
  /** What it took while stalling, never answered. */
  readonly stalled: ParsedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, done) => {
      const stalling = this.stalling;
      simpleParser(stream).then(
        (mail) => {
          if (stalling) return void this.stalled.push(mail);
          this.messages.push(mail);
          done();
        },
        (error: Error) => done(error),
      );
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => JSON.stringify(m.to).includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// The worker runs as a process of its own and is killed while its digest is in the mail server's hands: the
// row still says the digest is owed, and a new worker sends it (DESIGN.md §5.6: no email lost).
describe('a worker killed while it sends a digest', () => {
  let smtp: StallingSmtp;
  let test: TestApp;
  const workers: RunningProcess[] = [];
  const worker = () => {
    const started = runBuilt(MAIN.worker, {
      DATABASE_URL: test.config.databaseUrl!,
      // The API's DATA_DIR, so the worker signs the links with the key the API keeps there.
      DATA_DIR: test.config.dataDir,
      REDIS_URL: test.config.redisUrl,
      QUEUE_PREFIX: test.config.queuePrefix,
      SMTP_URL: smtp.url,
      PUBLIC_URL,
      DIGEST_SWEEP_SECONDS: '1',
      // The shortest job lock (15 s): a dead worker's job is taken up again soon after.
      WEBHOOK_TIMEOUT_MS: '100',
    });
    workers.push(started);
    return started;
  };

  beforeAll(async () => {
    smtp = await new StallingSmtp().start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL }, 'api');
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exit));
    await test?.close();
    await smtp?.close();
  });

  it('sends the digest once a new worker runs, with the Message-ID the dead one used', async () => {
    const address = 'survives@ngo.example';
    await test.http
      .post('/v1/email-subscriptions')
      .send({ email: address, areas: ['KZ-75'], scheme: 'kz-terror', delivery: 'daily', immediateMinRank: 3 })
      .expect(202);
    const [confirmation] = await eventually(
      () => smtp.to(address),
      (mails) => mails.length === 1,
      { what: 'the confirmation' },
    );
    const confirm = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(confirm) })
      .expect(200);

    const first = worker();
    await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'kz-terror',
        level: 'yellow',
        areas: ['KZ-75'],
        effectiveAt: new Date(Date.now() - 60_000).toISOString(),
        headline: 'Moderate terrorism threat level in Almaty',
        summary: 'Stay alert.',
        measures: [],
        authority: 'Anti-Terrorist Centre',
      })
      .expect(201);
    const { deliveries, emailSubscriptions } = tables;
    const [held] = await eventually(
      () => test.db.select().from(deliveries).where(eq(deliveries.status, 'held')),
      (rows) => rows.length === 1,
      { timeoutMs: 15_000, what: 'the held delivery' },
    );

    // The digest hour comes (the row says so, as at 08:00), and the mail server takes the digest's data
    // without ever answering it: the worker is then killed in the middle of the send.
    smtp.stalling = true;
    const dueAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    await test.db
      .update(emailSubscriptions)
      .set({ nextDigestAt: dueAt })
      .where(eq(emailSubscriptions.id, held.emailSubscriptionId!));
    const [inFlight] = await eventually(
      () => smtp.stalled,
      (mails) => mails.length === 1,
      { timeoutMs: 15_000, what: 'the digest in the mail server' },
    );
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    expect(smtp.to(address)).toHaveLength(1);
    const [still] = await test.db.select().from(deliveries).where(eq(deliveries.id, held.id));
    expect(still.status).toBe('held');

    // A new worker: the job the dead one held is taken up again once its lock lapses (BullMQ's stalled-job
    // check, twice 15 s at most), and the digest arrives.
    smtp.stalling = false;
    worker();
    const [, digest] = await eventually(
      () => smtp.to(address),
      (mails) => mails.length === 2,
      { timeoutMs: 80_000, intervalMs: 200, what: 'the digest after the restart' },
    );
    expect(digest.subject).toBe('Tocsin digest: 1 threat-level change');
    expect(digest.messageId).toBe(inFlight.messageId);
    expect(digest.headers.get('x-tocsin-digest-due')).toBe(dueAt.toISOString());
    expect(digest.text).toContain('Almaty (KZ-75): no level → MODERATE (yellow)');
    const [sent] = await eventually(
      () => test.db.select().from(deliveries).where(eq(deliveries.id, held.id)),
      ([row]) => row.status === 'delivered',
      { what: 'the held delivery recorded delivered' },
    );
    expect(sent.attempts).toBe(1);
    const [row] = await test.db
      .select()
      .from(emailSubscriptions)
      .where(eq(emailSubscriptions.id, held.emailSubscriptionId!));
    expect(row.nextDigestAt!.getTime()).toBeGreaterThan(dueAt.getTime());
  }, 120_000);
});

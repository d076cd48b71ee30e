// Exercises and tests (DESIGN.md §5.4) over the built app, a real webhook receiver and a real SMTP sink: a
// non-actual declaration reaches only the endpoint and the subscriber that opted in, marked in each channel
// (webhook type and mode, email subject, CAP status), and never changes a level or enters the public feed.
import { capSchemaProblems } from '@tocsin/ingest';
import { tables } from '@tocsin/database';
import type { ParsedMail } from 'mailparser';
import { create } from 'xmlbuilder2';
import { eventually, stillAfter } from './support/eventually';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { createKey, startTestApp, TestApp } from './support/test-app';
import { Receipt, WebhookReceiver } from './support/webhook-receiver';

const PUBLIC_URL = 'https://alerts.tocsin.test';
const DRILL_DESK = 'drill-desk@ngo.example';
const PUBLIC_DESK = 'public-desk@ngo.example';
/** Long enough for the worker to have sent what it was ever going to send to the others. */
const QUIET_MS = 2500;

/** The text of every element called `name`, read back by an XML parser. */
function textsOf(xml: string, name: string): string[] {
  const found: string[] = [];
  create(xml)
    .root()
    .each(
      (node) => void (node.node.nodeName === name && found.push(node.node.textContent ?? '')),
      true,
      true,
    );
  return found;
}

interface WebhookBody {
  type: string;
  data: { declaration: { id: string; mode?: string } };
}

describe('governance: exercises and tests reach only who opted in, marked, and change no level', () => {
  let smtp: SmtpSink;
  let receiver: WebhookReceiver;
  let test: TestApp;
  let publisher: string;
  let integrator: string;

  const publish = (body: Record<string, unknown>) =>
    test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send({
        scheme: 'kz-terror',
        level: 'red',
        headline: 'Critical terrorism threat level',
        summary: 'Repeat attacks are possible.',
        authority: 'Anti-Terrorist Centre',
        ...body,
      });
  const receiptsOf = (path: string, declarationId: string): Receipt[] =>
    receiver
      .at(path)
      .filter((r) => (JSON.parse(r.body) as WebhookBody).data.declaration.id === declarationId);
  const alertsTo = (address: string, declarationId: string): ParsedMail[] =>
    smtp.to(address).filter((m) => m.headers.get('x-tocsin-declaration-id') === declarationId);
  /** The alert of declaration `id` mailed to `address`, once it has arrived. */
  const waitForAlert = (address: string, id: string) =>
    eventually(
      () => alertsTo(address, id),
      (found) => found.length > 0,
      { timeoutMs: 20_000, what: `the alert of ${id} to ${address}` },
    );
  /** Every level in force anywhere, as the public reads them. */
  const allLevels = async () => (await test.http.get('/v1/levels').expect(200)).body as unknown;

  async function subscribe(email: string, exercises: boolean): Promise<void> {
    await test.http
      .post('/v1/email-subscriptions')
      .send({ email, areas: ['*'], ...(exercises ? { exercises: true } : {}) })
      .expect(202);
    const [confirmation] = await smtp.waitFor(email);
    const link = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .set('accept', 'text/html')
      .type('form')
      .send({ token: new URL(link).searchParams.get('token')! })
      .expect(200);
  }

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL });
    publisher = await createKey(test, 'publisher');
    integrator = await createKey(test, 'integrator');
    for (const [path, exercises] of [
      ['/drills', true],
      ['/public', false],
    ] as const) {
      const created = await test.http
        .post('/v1/webhooks')
        .set(test.as(integrator))
        .send({ url: receiver.url(path), areas: ['*'], ...(exercises ? { exercises: true } : {}) })
        .expect(201);
      expect(created.body.exercises).toBe(exercises);
    }
    await subscribe(DRILL_DESK, true);
    await subscribe(PUBLIC_DESK, false);
    const rows = await test.db.select().from(tables.emailSubscriptions);
    expect(rows.map((r) => [r.email, r.status, r.exercises]).sort()).toEqual([
      [DRILL_DESK, 'confirmed', true],
      [PUBLIC_DESK, 'confirmed', false],
    ]);
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
    await smtp?.close();
  });

  it('delivers an exercise to the opted-in endpoint and subscriber only, marked, with /v1/levels unchanged', async () => {
    const before = await allLevels();
    const kzBefore = (await test.http.get('/v1/levels/KZ').expect(200)).body as unknown;
    const published = await publish({ areas: ['KZ'], mode: 'exercise' }).expect(201);
    const id = published.body.id as string;
    expect(published.body.mode).toBe('exercise');

    await receiver.waitFor(() => receiptsOf('/drills', id).length > 0, 20_000, 'the exercise at /drills');
    const [receipt] = receiptsOf('/drills', id);
    const body = JSON.parse(receipt.body) as WebhookBody;
    expect(body.type).toBe('threat_level.exercise');
    expect(body.data.declaration.mode).toBe('exercise');

    const [mail] = await waitForAlert(DRILL_DESK, id);
    expect(mail.subject).toMatch(/^\[EXERCISE\] Kazakhstan — /);
    expect(mail.text).toMatch(/^This is an EXERCISE\. No threat level has changed;/);
    expect(mail.html).toContain('This is an EXERCISE. No threat level has changed;');

    // The others hear nothing of it, and no level anywhere moved.
    await stillAfter(
      QUIET_MS,
      () => ({ webhook: receiptsOf('/public', id).length, email: alertsTo(PUBLIC_DESK, id).length }),
      (seen) => seen.webhook === 0 && seen.email === 0,
      { what: 'nothing of the exercise at /public or to the public desk' },
    );
    expect(receiptsOf('/drills', id)).toHaveLength(1);
    expect(await allLevels()).toEqual(before);
    expect((await test.http.get('/v1/levels/KZ').expect(200)).body).toEqual(kzBefore);
  });

  it('marks a test [TEST] and sends it to the opted-in only', async () => {
    const before = await allLevels();
    const published = await publish({ areas: ['KZ-75'], level: 'yellow', mode: 'test' }).expect(201);
    const id = published.body.id as string;
    expect(published.body.mode).toBe('test');

    await receiver.waitFor(() => receiptsOf('/drills', id).length > 0, 20_000, 'the test at /drills');
    const body = JSON.parse(receiptsOf('/drills', id)[0].body) as WebhookBody;
    expect(body.type).toBe('threat_level.exercise');
    expect(body.data.declaration.mode).toBe('test');
    const [mail] = await waitForAlert(DRILL_DESK, id);
    expect(mail.subject).toMatch(/^\[TEST\] /);
    expect(mail.text).toMatch(/^This is a TEST\. No threat level has changed;/);

    await stillAfter(
      QUIET_MS,
      () => receiptsOf('/public', id).length + alertsTo(PUBLIC_DESK, id).length,
      (n) => n === 0,
      { what: 'nothing of the test at /public or to the public desk' },
    );
    expect(await allLevels()).toEqual(before);
  });

  it('serves the CAP of an exercise and of a test, valid CAP 1.2 with status Exercise and Test', async () => {
    for (const [mode, status] of [
      ['exercise', 'Exercise'],
      ['test', 'Test'],
    ] as const) {
      const published = await publish({ areas: ['KZ-71'], mode }).expect(201);
      const cap = await test.http.get(`/v1/declarations/${published.body.id}/cap`).expect(200);
      expect(cap.headers['content-type']).toMatch(/^application\/cap\+xml/);
      expect(await capSchemaProblems(cap.text, '1.2')).toEqual([]);
      expect(textsOf(cap.text, 'status')).toEqual([status]);
      expect(textsOf(cap.text, 'note')).toEqual([`${status}: no threat level has changed.`]);
    }
  });

  it('keeps exercises and tests out of the public Atom feed, which still lists actual declarations', async () => {
    const exercise = await publish({ areas: ['KZ-79'], mode: 'exercise' }).expect(201);
    const actual = await publish({ areas: ['KZ-79'], level: 'yellow' }).expect(201);
    expect(actual.body.mode).toBe('actual');
    for (const path of ['/v1/feeds/declarations.atom', '/v1/feeds/declarations.atom?area=KZ']) {
      const feed = await test.http.get(path).expect(200);
      expect(feed.text).toContain(`declarations/${actual.body.id}`);
      expect(feed.text).not.toContain(`declarations/${exercise.body.id}`);
    }
    const cap = await test.http.get(`/v1/declarations/${actual.body.id}/cap`).expect(200);
    expect(textsOf(cap.text, 'status')).toEqual(['Actual']);
  });

  it('renders a declaration waiting for approval as a valid CAP Draft, sends it to nobody and leaves it out of the feed', async () => {
    await test.http
      .patch('/v1/schemes/travel-advisory')
      .set(test.as())
      .send({ approval: { minRank: 4 } })
      .expect(200);
    const pending = await publish({ areas: ['TJ'], scheme: 'travel-advisory', level: '4' }).expect(201);
    const id = pending.body.id as string;
    expect(pending.body.status).toBe('pending_approval');
    const cap = await test.http.get(`/v1/declarations/${id}/cap`).set(test.as(publisher));
    expect(cap.status).toBe(200);
    expect(await capSchemaProblems(cap.text, '1.2')).toEqual([]);
    expect(textsOf(cap.text, 'status')).toEqual(['Draft']);
    const feed = await test.http.get('/v1/feeds/declarations.atom?area=TJ').expect(200);
    expect(feed.text).not.toContain(`declarations/${id}`);
    await stillAfter(
      1000,
      () => receiptsOf('/drills', id).length + receiptsOf('/public', id).length,
      (n) => n === 0,
      { what: 'nothing of the pending declaration sent' },
    );
  });

  it('sends an actual declaration to both endpoints and both subscribers, unmarked', async () => {
    const published = await publish({ areas: ['KZ-47'], level: 'yellow' }).expect(201);
    const id = published.body.id as string;
    await receiver.waitFor(
      () => receiptsOf('/drills', id).length > 0 && receiptsOf('/public', id).length > 0,
      20_000,
      'the actual declaration at both endpoints',
    );
    const body = JSON.parse(receiptsOf('/public', id)[0].body) as WebhookBody;
    expect(body.type).toBe('threat_level.changed');
    expect(body.data.declaration.mode ?? 'actual').toBe('actual');
    for (const address of [DRILL_DESK, PUBLIC_DESK]) {
      const [mail] = await waitForAlert(address, id);
      expect(mail.subject).not.toMatch(/^\[/);
      expect(mail.text).not.toContain('No threat level has changed');
    }
  });

  it('refuses a mode it does not know with a 400 problem and publishes nothing', async () => {
    const before = await test.db.select().from(tables.declarations);
    const refused = await publish({ areas: ['KZ'], mode: 'drill' }).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(refused.body)).toContain('mode');
    expect(await test.db.select().from(tables.declarations)).toHaveLength(before.length);
  });
});

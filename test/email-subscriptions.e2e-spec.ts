import { createHash } from 'node:crypto';
import { tables } from '@tocsin/database';
import { eq, sql } from 'drizzle-orm';
import { stillAfter } from './support/eventually';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://alerts.tocsin.test';
const relative = (link: string) => link.slice(PUBLIC_URL.length);
const tokenOf = (link: string) => new URL(link, PUBLIC_URL).searchParams.get('token')!;

/** What escape-html writes for each character it escapes. */
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** The one form of a page: where it posts and its hidden fields, as a browser would send them. */
function formIn(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  if (!form) throw new Error('the page has no form');
  const fields = [...form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
    ([, name, value]) => [name, value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity])],
  );
  return { action: form[1], fields: Object.fromEntries(fields) };
}

describe('email subscriptions', () => {
  let smtp: SmtpSink;
  let test: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL });
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  const signUp = (email: string, filter: Record<string, unknown> = { areas: ['KZ'] }) =>
    test.http.post('/v1/email-subscriptions').send({ email, ...filter });
  const rowOf = async (email: string) =>
    (
      await test.db.select().from(tables.emailSubscriptions).where(eq(tables.emailSubscriptions.email, email))
    )[0];
  /** Lets the per-address limit pass again, as if the last mail went out eleven minutes ago. */
  const ageLastMail = (email: string) =>
    test.db
      .update(tables.emailSubscriptions)
      .set({ confirmationSentAt: sql`now() - interval '11 minutes'` })
      .where(eq(tables.emailSubscriptions.email, email));
  const confirmLinkOf = async (email: string) =>
    linkIn((await smtp.waitFor(email))[0], `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);

  it('signs up, confirms by the emailed link, and unsubscribes with an RFC 8058 one-click POST', async () => {
    const accepted = await signUp('Desk@NGO.example', {
      areas: ['KZ', 'kz-ala'],
      scheme: 'kz-terror',
      minRank: 2,
    }).expect(202);
    expect(accepted.body).toEqual({
      status: 'accepted',
      message: expect.stringContaining('confirmation email'),
      language: 'en',
      timeZone: null,
      exercises: false,
      delivery: 'immediate',
      immediateMinRank: null,
      digestHour: 8,
      digestWeekday: 1,
      activeFrom: null,
      activeUntil: null,
    });
    const row = await rowOf('desk@ngo.example');
    expect(row).toMatchObject({
      status: 'pending',
      areas: ['KZ', 'KZ-75'],
      schemeId: 'kz-terror',
      minRank: 2,
      events: null,
    });

    const [confirmation] = await smtp.waitFor('desk@ngo.example');
    expect(confirmation.subject).toBe('Confirm your Tocsin threat-level alerts');
    expect(confirmation.text).toContain('Kazakhstan (KZ), Almaty (KZ-75)');
    expect(confirmation.html).toContain('Confirm my subscription');
    const confirmLink = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);

    // The link opens a page that asks; its button posts the form that confirms.
    const question = await test.http.get(relative(confirmLink)).set('accept', 'text/html').expect(200);
    expect(question.headers['content-type']).toMatch(/^text\/html/);
    const form = formIn(question.text);
    expect(form).toEqual({ action: 'confirm', fields: { token: tokenOf(confirmLink) } });
    expect((await rowOf('desk@ngo.example')).status).toBe('pending');
    const confirmed = await test.http
      .post(new URL(form.action, `${PUBLIC_URL}${relative(confirmLink)}`).pathname)
      .set('accept', 'text/html')
      .type('form')
      .send(form.fields)
      .expect(200);
    expect(confirmed.headers['content-type']).toMatch(/^text\/html/);
    expect(confirmed.text).toContain('<h1>Subscription confirmed</h1>');
    expect((await rowOf('desk@ngo.example')).status).toBe('confirmed');

    // Signing up again mails the links to manage and to leave, not a second subscription.
    await ageLastMail('desk@ngo.example');
    await signUp('desk@ngo.example').expect(202);
    const [, reminder] = await smtp.waitFor('desk@ngo.example', 2);
    expect(reminder.subject).toBe('Your Tocsin threat-level alerts');
    const unsubscribeLink = linkIn(reminder, `${PUBLIC_URL}/v1/email-subscriptions/unsubscribe?token=`);

    const unsubscribeQuestion = await test.http
      .get(relative(unsubscribeLink))
      .set('accept', 'text/html')
      .expect(200);
    expect(unsubscribeQuestion.text).toContain('<form method="post"');
    expect((await rowOf('desk@ngo.example')).status).toBe('confirmed');

    const oneClick = await test.http
      .post(relative(unsubscribeLink))
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(oneClick.body).toEqual({
      status: 'unsubscribed',
      message: expect.any(String),
      language: 'en',
      timeZone: null,
      delivery: 'immediate',
      immediateMinRank: null,
      digestHour: 8,
      digestWeekday: 1,
      nextDigestAt: null,
      activeFrom: null,
      activeUntil: null,
    });
    expect((await rowOf('desk@ngo.example')).status).toBe('unsubscribed');
    await test.http.post(relative(unsubscribeLink)).expect(200);
  });

  it('answers a second sign-up of the same address exactly like the first, and keeps one subscription', async () => {
    const first = await signUp('twice@ngo.example', { areas: ['FR'] }).expect(202);
    const second = await signUp('TWICE@ngo.example ', { areas: ['GB'] }).expect(202);
    expect(second.body).toEqual(first.body);
    const [{ n }] = await test.db
      .select({ n: sql<number>`count(*)::int` })
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, 'twice@ngo.example'));
    expect(n).toBe(1);
    // Within ten minutes the address is not mailed again.
    await smtp.waitFor('twice@ngo.example');
    await stillAfter(
      300,
      () => smtp.to('twice@ngo.example').length,
      (n) => n === 1,
      { what: 'one email to twice@ngo.example' },
    );
  });

  it('confirms nothing when the link is only opened, as mail scanners do, and confirms a JSON POST', async () => {
    await signUp('scanned@ngo.example').expect(202);
    const link = relative(await confirmLinkOf('scanned@ngo.example'));
    for (const accept of ['application/json', 'text/html', '*/*']) {
      await test.http.get(link).set('accept', accept).expect(200);
      await test.http.head(link).set('accept', accept).expect(200);
    }
    const asked = await test.http.get(link).expect(200);
    expect(asked.body).toEqual({
      status: 'pending',
      message: 'POST {"token"} to this URL to confirm.',
      language: 'en',
      timeZone: null,
      delivery: 'immediate',
      immediateMinRank: null,
      digestHour: 8,
      digestWeekday: 1,
      nextDigestAt: null,
      activeFrom: null,
      activeUntil: null,
    });
    // Still pending, so no alert can reach the address (the audience of an alert is confirmed rows only).
    expect(await rowOf('scanned@ngo.example')).toMatchObject({ status: 'pending', confirmedAt: null });

    const confirmed = await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(link) })
      .expect(200);
    expect(confirmed.headers['content-type']).toMatch(/^application\/json/);
    expect(confirmed.body).toEqual({
      status: 'confirmed',
      message: expect.stringContaining('alerts'),
      language: 'en',
      timeZone: null,
      delivery: 'immediate',
      immediateMinRank: null,
      digestHour: 8,
      digestWeekday: 1,
      nextDigestAt: null,
      activeFrom: null,
      activeUntil: null,
    });
    expect(await rowOf('scanned@ngo.example')).toMatchObject({
      status: 'confirmed',
      confirmedAt: expect.any(Date),
    });
    // Confirming again, or opening the link again, says so and changes nothing.
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(link) })
      .expect(200);
    expect((await test.http.get(link).expect(200)).body.status).toBe('confirmed');
    const page = await test.http.get(link).set('accept', 'text/html').expect(200);
    expect(page.text).toContain('already confirmed');
    expect(page.text).not.toContain('<form');
  });

  it('sends nothing but the confirmation until confirmed, and refuses a link used for another purpose', async () => {
    await signUp('pending@ngo.example').expect(202);
    const token = tokenOf(await confirmLinkOf('pending@ngo.example'));
    const wrong = await test.http
      .post(`/v1/email-subscriptions/unsubscribe?token=${encodeURIComponent(token)}`)
      .expect(404);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    await test.http.get(`/v1/email-subscriptions/manage?token=${encodeURIComponent(token)}`).expect(404);
    expect((await rowOf('pending@ngo.example')).status).toBe('pending');
  });

  it('refuses a forged confirmation token with 404 and an expired one with 410, on GET and on POST', async () => {
    await signUp('forged@ngo.example').expect(202);
    const token = tokenOf(await confirmLinkOf('forged@ngo.example'));
    const tampered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    const refusals = async (bad: string, status: number) => {
      const query = `/v1/email-subscriptions/confirm?token=${encodeURIComponent(bad)}`;
      const asked = await test.http.get(query).expect(status);
      expect(asked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(asked.body.status).toBe(status);
      const askedPage = await test.http.get(query).set('accept', 'text/html').expect(status);
      expect(askedPage.headers['content-type']).toMatch(/^text\/html/);
      expect(askedPage.text).toContain('This link did not work');
      const posted = await test.http
        .post('/v1/email-subscriptions/confirm')
        .send({ token: bad })
        .expect(status);
      expect(posted.headers['content-type']).toMatch(/^application\/problem\+json/);
      const postedForm = await test.http
        .post('/v1/email-subscriptions/confirm')
        .set('accept', 'text/html')
        .type('form')
        .send({ token: bad })
        .expect(status);
      expect(postedForm.text).toContain('This link did not work');
    };
    await refusals(tampered, 404);
    await refusals('nonsense', 404);
    expect(await rowOf('forged@ngo.example')).toMatchObject({ status: 'pending', confirmedAt: null });

    await test.db
      .update(tables.emailSubscriptions)
      .set({ confirmationSentAt: sql`now() - interval '8 days'` })
      .where(eq(tables.emailSubscriptions.email, 'forged@ngo.example'));
    await refusals(token, 410);
    expect(await rowOf('forged@ngo.example')).toMatchObject({ status: 'pending', confirmedAt: null });

    // No token, or one that is not a string, is a 400 before any lookup.
    await test.http.post('/v1/email-subscriptions/confirm').send({}).expect(400);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: ['a', 'b'] })
      .expect(400);
    await test.http.post('/v1/email-subscriptions/confirm').type('form').send('token=a&token=b').expect(400);
  });

  it('sends its pages with a policy that allows their own style and forms and nothing else', async () => {
    await signUp('headers@ngo.example').expect(202);
    const confirmLink = relative(await confirmLinkOf('headers@ngo.example'));
    const pages = [
      await test.http.get(confirmLink).set('accept', 'text/html').expect(200),
      await test.http
        .post('/v1/email-subscriptions/confirm')
        .set('accept', 'text/html')
        .type('form')
        .send({ token: tokenOf(confirmLink) })
        .expect(200),
      await test.http
        .get('/v1/email-subscriptions/confirm?token=nonsense')
        .set('accept', 'text/html')
        .expect(404),
    ];
    await ageLastMail('headers@ngo.example');
    await signUp('headers@ngo.example').expect(202);
    const [, reminder] = await smtp.waitFor('headers@ngo.example', 2);
    for (const purpose of ['manage', 'unsubscribe']) {
      const link = relative(linkIn(reminder, `${PUBLIC_URL}/v1/email-subscriptions/${purpose}?token=`));
      pages.push(await test.http.get(link).set('accept', 'text/html').expect(200));
    }
    expect(pages.map((p) => /<h1>(.*)<\/h1>/.exec(p.text)?.[1])).toEqual([
      'Confirm your Tocsin alerts',
      'Subscription confirmed',
      'This link did not work',
      'Your Tocsin alerts',
      'Unsubscribe from Tocsin alerts?',
    ]);
    for (const page of pages) {
      const style = /<style>([\s\S]*?)<\/style>/.exec(page.text)![1];
      const hash = createHash('sha256').update(style).digest('base64');
      expect(page.headers).toMatchObject({
        'content-security-policy':
          `default-src 'none'; style-src 'sha256-${hash}'; ` +
          "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        // The address bar holds the subscriber's token: it goes in no Referer and in no cache.
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-store',
      });
      // Nothing the policy would block: no scripts, no inline style attributes, no images.
      expect(page.text).not.toMatch(/<script|style="|<img/);
    }
  });

  it('lets a subscriber change areas and thresholds from the manage link, as JSON or with the page form', async () => {
    await signUp('manage@ngo.example', { areas: ['KZ'] }).expect(202);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(await confirmLinkOf('manage@ngo.example')) })
      .expect(200);
    await ageLastMail('manage@ngo.example');
    await signUp('manage@ngo.example').expect(202);
    const [, reminder] = await smtp.waitFor('manage@ngo.example', 2);
    const manageLink = relative(linkIn(reminder, `${PUBLIC_URL}/v1/email-subscriptions/manage?token=`));

    expect((await test.http.get(manageLink).expect(200)).body.filter).toEqual({
      areas: ['KZ'],
      scheme: null,
      minRank: null,
      events: null,
    });
    const saved = await test.http
      .put(manageLink)
      .send({ areas: ['KZ-75', 'KZ-ALM'], scheme: 'kz-terror', minRank: 3, events: ['escalated'] })
      .expect(200);
    expect(saved.body.filter).toEqual({
      areas: ['KZ-19', 'KZ-75'],
      scheme: 'kz-terror',
      minRank: 3,
      events: ['escalated'],
    });
    await test.http
      .put(manageLink)
      .send({ areas: ['XX'] })
      .expect(422);

    const form = await test.http.get(manageLink).set('accept', 'text/html').expect(200);
    expect(form.text).toContain('<label for="areas">Areas</label>');
    const posted = await test.http
      .post(manageLink)
      .set('accept', 'text/html')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('areas=GB%2C+FR&scheme=&minRank=&events=deescalated')
      .expect(200);
    expect(posted.text).toContain('Saved.');
    expect(await rowOf('manage@ngo.example')).toMatchObject({
      areas: ['FR', 'GB'],
      schemeId: null,
      minRank: null,
      events: ['deescalated'],
    });
  });

  it('rejects bad sign-ups with a problem and writes nothing', async () => {
    const count = async () =>
      (await test.db.select({ n: sql<number>`count(*)::int` }).from(tables.emailSubscriptions))[0].n;
    const before = await count();
    for (const [body, status] of [
      [{ email: 'not-an-address', areas: ['KZ'] }, 400],
      [{ email: 'a@b.example', areas: [] }, 400],
      [{ email: 'a@b.example', areas: ['XX'] }, 422],
      [{ email: 'a@b.example', areas: ['KZ'], scheme: 'nope' }, 422],
      [{ email: 'a@b.example', areas: ['KZ'], scheme: 'kz-terror', minRank: 4 }, 422],
      [{ email: 'a@b.example', areas: ['KZ'], events: ['sideways'] }, 400],
    ] as const) {
      const response = await test.http.post('/v1/email-subscriptions').send(body).expect(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await count()).toBe(before);
  });

  it('lets an admin list, search, disable and erase subscribers', async () => {
    await signUp('erase-me@ngo.example').expect(202);
    const listed = await test.http.get('/v1/email-subscriptions?q=erase-me').set(test.as()).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({ email: 'erase-me@ngo.example', status: 'pending' }),
    ]);
    const id = listed.body.items[0].id;
    expect(
      (
        await test.http.get('/v1/email-subscriptions?status=unsubscribed').set(test.as()).expect(200)
      ).body.items.map((s: { email: string }) => s.email),
    ).toEqual(['desk@ngo.example']);
    expect(
      (
        await test.http
          .patch(`/v1/email-subscriptions/${id}`)
          .set(test.as())
          .send({ enabled: false })
          .expect(200)
      ).body.status,
    ).toBe('disabled');
    expect(
      (
        await test.http
          .patch(`/v1/email-subscriptions/${id}`)
          .set(test.as())
          .send({ enabled: true })
          .expect(200)
      ).body.status,
    ).toBe('pending');
    await test.http.delete(`/v1/email-subscriptions/${id}`).set(test.as()).expect(204);
    await test.http.get(`/v1/email-subscriptions/${id}`).set(test.as()).expect(404);
    expect(await rowOf('erase-me@ngo.example')).toBeUndefined();
    await test.http.get('/v1/email-subscriptions').expect(401);
  });
});

describe('sign-up rate limits', () => {
  let smtp: SmtpSink;
  let test: TestApp;

  beforeAll(async () => {
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await test?.close();
    await smtp?.close();
  });

  it('answers a client that signs up too often with 429 and Retry-After, but not an admin', async () => {
    for (let i = 0; i < 20; i += 1) {
      await test.http
        .post('/v1/email-subscriptions')
        .send({ email: `bulk${i}@ngo.example`, areas: ['KZ'] })
        .expect(202);
    }
    const refused = await test.http
      .post('/v1/email-subscriptions')
      .send({ email: 'one-more@ngo.example', areas: ['KZ'] })
      .expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    await test.http
      .post('/v1/email-subscriptions')
      .set(test.as())
      .send({ email: 'import@ngo.example', areas: ['KZ'] })
      .expect(202);
  });
});

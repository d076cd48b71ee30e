// The pages in a real browser: Debian's Chromium driven by playwright-core, against the whole app listening on
// a real port. Screenshots go to test-artifacts/ (git-ignored) for people to look at.
import { mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tables } from '@tocsin/database';
import { eq } from 'drizzle-orm';
import { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { ADMIN_KEY, createKey, startTestApp, TestApp } from './support/test-app';
import { ARTIFACTS, launchChromium } from './support/browser';

// The few browser globals that the callbacks run in the page use (the backend's tsconfig has no DOM lib).
interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const document: {
  activeElement: PageElement | null;
  documentElement: PageElement;
  querySelector(selector: string): PageElement | null;
};
declare const window: object;
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { length: number };
declare function getComputedStyle(element: unknown): { color: string; backgroundColor: string };

const PUBLIC_URL = 'https://alerts.tocsin.test';
const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };
// Live updates arrive by the stream at once, or by polling within 5 s where the stream is missing.
const LIVE_TIMEOUT_MS = 15_000;

/** A CAP 1.2 alert in English and Russian for all of Tajikistan, in force from a minute ago. */
function capAlert(identifier: string, severity: string): string {
  const effective = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const info = (language: string, headline: string, description: string) => `
  <info>
    <language>${language}</language>
    <category>Security</category>
    <event>Travel advisory</event>
    <urgency>Expected</urgency>
    <severity>${severity}</severity>
    <certainty>Likely</certainty>
    <effective>${effective}</effective>
    <senderName>Regional Security Office</senderName>
    <headline>${headline}</headline>
    <description>${description}</description>
    <area>
      <areaDesc>Tajikistan</areaDesc>
      <geocode><valueName>ISO 3166-1</valueName><value>TJ</value></geocode>
    </area>
  </info>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${identifier}</identifier>
  <sender>cap@rso.example.org</sender>
  <sent>${effective}</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>${info('en', 'Reconsider travel to Tajikistan', 'Unrest near the borders.')}${info(
    'ru',
    'Пересмотрите поездки в Таджикистан',
    'Беспорядки у границ.',
  )}
</alert>
`;
}

interface SchemeLevel {
  code: string;
  name: string;
  color: string;
}

describe('the web pages, in Chromium', () => {
  let smtp: SmtpSink;
  let test: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL });
    await test.app.listen(0, '127.0.0.1');
    base = (await test.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await smtp?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    // Nothing the pages load may come from elsewhere, and no script may throw.
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function open(
    path: string,
    viewport = DESKTOP,
    prepare: (page: Page) => Promise<unknown> = async () => {},
    options: BrowserContextOptions = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      isMobile: viewport === PHONE,
      hasTouch: viewport === PHONE,
      ...options,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    // A page the security policy cuts short says so only in the console.
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy'))
        pageErrors.push(`${path}: ${message.text()}`);
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:'))
        foreignRequests.push(request.url());
    });
    await prepare(page);
    await page.goto(`${base}${path}`);
    return page;
  }

  async function signedInConsole(viewport = DESKTOP): Promise<Page> {
    const page = await open('/admin', viewport);
    await page.getByLabel('API key', { exact: true }).fill(ADMIN_KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Publish a declaration' }).waitFor();
    return page;
  }

  const levelsOf = async (scheme: string): Promise<Record<string, SchemeLevel>> => {
    const response = await test.http.get(`/v1/schemes/${scheme}`).expect(200);
    return Object.fromEntries((response.body.levels as SchemeLevel[]).map((l) => [l.code, l]));
  };

  const declare = (body: Record<string, unknown>) =>
    test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({ summary: 'Declared in a browser test.', authority: 'Anti-Terrorist Centre', ...body })
      .expect(201);

  const mapLevel = (page: Page, country: string) =>
    page.locator(`path[data-code="${country}"]`).evaluate((path) => ({
      level: path.getAttribute('data-level'),
      fill: path.getAttribute('fill'),
    }));

  const waitForMapLevel = (page: Page, country: string, level: string) =>
    page.waitForFunction(
      ([code, wanted]) =>
        document.querySelector(`path[data-code="${code}"]`)?.getAttribute('data-level') === wanted,
      [country, level] as const,
      { timeout: LIVE_TIMEOUT_MS },
    );

  it('serves the pages beside the API, which keeps its problem+json 404s', async () => {
    const home = await test.http.get('/').expect(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.headers['content-security-policy']).toContain("default-src 'self'");
    expect(home.text).toContain('<main id="main"');
    const country = await test.http.get('/country/KZ').expect(200);
    expect(country.text).toBe(home.text);
    for (const path of ['/subscribe', '/admin'])
      expect((await test.http.get(path).expect(200)).text).toBe(home.text);

    const missing = await test.http.get('/v1/no-such-thing').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await test.http.get('/no-such-page').expect(404)).headers['content-type']).toMatch(
      /^application\/problem\+json/,
    );
    await test.http.get('/health/live').expect(200);
    await test.http.get('/openapi.json').expect(200);
    await test.http.get('/v1/levels').expect(200);
  });

  it('sends the pages behind email links with the security headers of these pages, and loads less', async () => {
    const directives = (policy: string) =>
      Object.fromEntries(
        policy.split(';').map((directive) => {
          const [name, ...sources] = directive.trim().split(/\s+/);
          return [name, sources.join(' ')];
        }),
      );
    const home = await test.http.get('/').expect(200);
    const homePolicy = directives(home.headers['content-security-policy']);
    for (const path of ['confirm', 'unsubscribe', 'manage']) {
      const linkPage = await test.http
        .get(`/v1/email-subscriptions/${path}?token=nonsense`)
        .set('accept', 'text/html')
        .expect(404);
      expect(linkPage.headers['content-type']).toMatch(/^text\/html/);
      expect(linkPage.headers['x-content-type-options']).toBe(home.headers['x-content-type-options']);
      const policy = directives(linkPage.headers['content-security-policy']);
      for (const name of ['object-src', 'base-uri', 'form-action', 'frame-ancestors'])
        expect([name, policy[name]]).toEqual([name, homePolicy[name]]);
      // Nothing but their own inline style: no scripts, images or connections, which the Vite pages need.
      expect(Object.keys(policy).sort()).toEqual(
        ['default-src', 'style-src', 'object-src', 'base-uri', 'form-action', 'frame-ancestors'].sort(),
      );
      expect(policy['default-src']).toBe("'none'");
      expect(policy['style-src']).toMatch(/^'sha256-[A-Za-z0-9+/]+={0,2}'$/);
      // Their address holds a token, so they send no Referer at all where the Vite pages send it within the site.
      expect([home.headers['referrer-policy'], linkPage.headers['referrer-policy']]).toEqual([
        'same-origin',
        'no-referrer',
      ]);
    }
  });

  it('keeps the queue board for admins, through a session cookie the console makes', async () => {
    const publisher = await createKey(test, 'publisher', 'desk publisher');
    // The console signs in with GET /v1/api-keys/me, which tells it the key's role.
    expect((await test.http.get('/v1/api-keys/me').set(test.as(publisher)).expect(200)).body).toEqual({
      id: expect.stringMatching(/^key_/),
      name: 'desk publisher',
      role: 'publisher',
    });
    await test.http.get('/v1/api-keys/me').expect(401);
    expect((await test.http.get('/admin/queues').expect(401)).headers['content-type']).toMatch(
      /problem\+json/,
    );
    await test.http.get('/admin/queues').set('accept', 'text/html').expect(303).expect('location', '/admin');
    await test.http.post('/admin/queues/session').set(test.as(publisher)).expect(403);
    await test.http.get('/admin/queues').set(test.as(publisher)).expect(401);

    const session = await test.http.post('/admin/queues/session').set(test.as()).expect(204);
    const cookie = session.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/^tocsin_queues=.+; Path=\/admin\/queues; HttpOnly; SameSite=Strict$/);
    const board = await test.http.get('/admin/queues').set('cookie', cookie.split(';')[0]).expect(200);
    expect(board.text).toContain('Tocsin queues');
    expect(board.text).not.toContain('fonts.googleapis.com'); // everything the board loads is served here
    expect(board.headers['content-security-policy']).toContain("default-src 'self'");
    const queues = await test.http
      .get('/admin/queues/api/queues')
      .set('cookie', cookie.split(';')[0])
      .expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
      'clock',
      'delivery',
      'fanout',
      'ingest',
    ]);
  });

  it('the map shows Kazakhstan in red after a declaration and turns it orange when a newer one lands, without a reload', async () => {
    const kz = await levelsOf('kz-terror');
    const page = await open('/');
    let loads = 0;
    page.on('load', () => loads++);
    await page.waitForSelector('path[data-code="KZ"]');
    expect(await mapLevel(page, 'KZ')).toEqual({ level: null, fill: '#d4d4d4' });
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));

    await declare({
      scheme: 'kz-terror',
      level: 'red',
      areas: ['KZ'],
      headline: 'Critical level across Kazakhstan',
    });
    await waitForMapLevel(page, 'KZ', 'red');
    expect(await mapLevel(page, 'KZ')).toEqual({ level: 'red', fill: kz.red.color });
    const listed = page.locator('li[data-country="KZ"]');
    expect(await listed.locator('.chip').textContent()).toBe('Critical');
    expect(await listed.locator('a').textContent()).toBe('Kazakhstan');

    await declare({
      scheme: 'kz-terror',
      level: 'orange',
      areas: ['KZ'],
      headline: 'High level across Kazakhstan',
    });
    await waitForMapLevel(page, 'KZ', 'orange');
    expect(await mapLevel(page, 'KZ')).toEqual({ level: 'orange', fill: kz.orange.color });
    expect(await listed.locator('.chip').textContent()).toBe('High');
    expect(
      await page.locator('path[data-code="KZ"]').evaluate((p) => p.parentElement!.getAttribute('href')),
    ).toBe('/country/KZ');
    // The same document all along: no reload, no navigation.
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    expect(loads).toBe(0);

    // Every level label reads at WCAG AA against its own colour.
    const contrasts = await page.locator('.chip').evaluateAll((chips) =>
      chips.map((chip) => {
        const rgb = (css: string) => css.match(/\d+/g)!.slice(0, 3).map(Number);
        const lum = ([r, g, b]: number[]) =>
          [r, g, b]
            .map((v) => v / 255)
            .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
            .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
        const style = getComputedStyle(chip);
        const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      }),
    );
    expect(contrasts.length).toBeGreaterThan(0);
    for (const ratio of contrasts) expect(ratio).toBeGreaterThanOrEqual(4.5);

    await page.screenshot({
      path: join(ARTIFACTS, 'map-desktop.png'),
      fullPage: true,
      animations: 'disabled',
    });
    const phone = await open('/', PHONE);
    await waitForMapLevel(phone, 'KZ', 'orange');
    await phone.screenshot({
      path: join(ARTIFACTS, 'map-phone.png'),
      fullPage: true,
      animations: 'disabled',
    });
    const countryPage = await open('/country/KZ');
    await countryPage.getByRole('heading', { name: 'History' }).waitFor();
    expect(await countryPage.locator('.current-levels .chip').textContent()).toBe('High');
    expect(await countryPage.locator('article.declaration h3').allTextContents()).toEqual([
      'High level across Kazakhstan',
    ]);
    expect(await countryPage.locator('#history-heading + div tbody tr').count()).toBe(2);
    await countryPage.screenshot({
      path: join(ARTIFACTS, 'country-desktop.png'),
      fullPage: true,
      animations: 'disabled',
    });
    for (const file of ['map-desktop.png', 'map-phone.png', 'country-desktop.png']) {
      expect(statSync(join(ARTIFACTS, file)).size).toBeGreaterThan(10_000);
    }
  });

  it('keeps the map current by polling GET /v1/levels when the stream is missing', async () => {
    const nl = await levelsOf('nl-nctv');
    const page = await open('/', DESKTOP, (p) =>
      p.route('**/v1/stream*', (route) =>
        route.fulfill({ status: 404, contentType: 'application/problem+json', body: '{"status":404}' }),
      ),
    );
    await page.getByText('Checking for changes every 5 seconds.').waitFor();
    await page.waitForSelector('path[data-code="NL"]');
    await declare({ scheme: 'nl-nctv', level: '4', areas: ['NL'], headline: 'Substantial threat' });
    await waitForMapLevel(page, 'NL', '4');
    expect(await mapLevel(page, 'NL')).toEqual({ level: '4', fill: nl['4'].color });
    expect(await page.locator('li[data-country="NL"] .chip').textContent()).toBe('Substantial');
  });

  it('the sign-up form sends a confirmation', async () => {
    const page = await open('/subscribe?area=KZ-75');
    await page.getByLabel('Email address', { exact: true }).fill('desk@ngo.example');
    await page.locator('[data-area="KZ-75"]').waitFor();
    await page.getByLabel('Areas', { exact: true }).fill('Kazakhstan (KZ)');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.locator('[data-area="KZ"]').waitFor();
    await page.getByLabel('Scheme', { exact: true }).selectOption('kz-terror');
    await page
      .getByLabel('Only when the level is at least')
      .selectOption({ label: 'High (orange) or higher' });
    // A weekly digest, Fridays at 18:00, critical changes still at once: the digest's fields show with it.
    expect(await page.getByLabel('Digest time (in the time zone above)').isVisible()).toBe(false);
    await page.getByLabel('How alerts reach you').selectOption('weekly');
    await page.getByLabel('Still sent at once').selectOption({ label: 'Critical (red) or higher' });
    await page.getByLabel('Digest time (in the time zone above)').selectOption('18:00');
    await page.getByLabel('Day of a weekly digest').selectOption('Friday');
    await page.getByRole('button', { name: 'Send me a confirmation email' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    const [confirmation] = await smtp.waitFor('desk@ngo.example', 1, 10_000);
    expect(confirmation.subject).toBe('Confirm your Tocsin threat-level alerts');
    expect(confirmation.text).toContain('Kazakhstan (KZ), Almaty (KZ-75)');
    const [row] = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, 'desk@ngo.example'));
    expect(row).toMatchObject({
      status: 'pending',
      areas: ['KZ', 'KZ-75'],
      schemeId: 'kz-terror',
      minRank: 2,
      events: null,
      delivery: 'weekly',
      immediateMinRank: 3,
      digestHour: 18,
      digestWeekday: 5,
    });

    // The link only asks (mail scanners open links); the button confirms.
    const link = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await page.goto(link.replace(PUBLIC_URL, base));
    expect(await page.locator('h1').textContent()).toBe('Confirm your Tocsin alerts');
    const [asked] = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, 'desk@ngo.example'));
    expect(asked.status).toBe('pending');
    const button = page.getByRole('button', { name: 'Confirm my subscription' });
    // The page's inline style is allowed by its hash in the policy, so the button has the site's colours.
    expect(await button.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(
      'rgb(11, 79, 156)',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'email-confirm.png'), animations: 'disabled' });
    await button.click();
    await page.getByRole('heading', { name: 'Subscription confirmed' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'email-confirmed.png'), animations: 'disabled' });
    const [confirmed] = await test.db
      .select()
      .from(tables.emailSubscriptions)
      .where(eq(tables.emailSubscriptions.email, 'desk@ngo.example'));
    expect(confirmed.status).toBe('confirmed');
  });

  it('the sign-up form can be filled in and sent from the keyboard alone', async () => {
    const page = await open('/subscribe');
    // The form is built once the page has its schemes; before that, "Skip to content" leads to an empty main.
    await page.locator('#email').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
    await page.keyboard.type('keys@ngo.example');
    await page.keyboard.press('Tab');
    await page.keyboard.type('FR');
    await page.keyboard.press('Enter'); // adds the area, does not send the form
    await page.locator('[data-area="FR"]').waitFor();
    await page.keyboard.press('Tab'); // the Add button
    await page.keyboard.press('Tab'); // the chosen area's remove button
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Remove France (FR)',
    );
    // scheme, threshold, two boxes, the emails' language and time zone, the delivery (the digest's fields
    // hidden with immediate delivery), the button
    for (let i = 0; i < 8; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Send me a confirmation email',
    );
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect((await smtp.waitFor('keys@ngo.example', 1, 10_000))[0].subject).toBe(
      'Confirm your Tocsin threat-level alerts',
    );
  });

  it('an admin publishes a declaration from the console and it appears on the map', async () => {
    const fr = await levelsOf('fr-vigipirate');
    // Who the preview should count: one matching endpoint and one confirmed address, beside ones that do not match.
    await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: 'http://127.0.0.1:9/fr', areas: ['FR'] })
      .expect(201);
    await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: 'http://127.0.0.1:9/de', areas: ['DE'] })
      .expect(201);
    const now = new Date();
    await test.db.insert(tables.emailSubscriptions).values([
      {
        id: 'sub_fr',
        email: 'fr@example.org',
        areas: ['FR'],
        status: 'confirmed',
        createdAt: now,
        updatedAt: now,
      },
      {
        id: 'sub_fr_pending',
        email: 'p@example.org',
        areas: ['FR'],
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      },
    ]);

    const page = await signedInConsole();
    expect(await page.evaluate(() => sessionStorage.getItem('tocsin.console.key'))).toBe(ADMIN_KEY);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);

    await page.getByLabel('Country', { exact: true }).selectOption('FR');
    await page.getByLabel('Ain (FR-01)').waitFor({ state: 'attached' });
    expect(await page.getByLabel('Scheme', { exact: true }).inputValue()).toBe('fr-vigipirate');
    await page.getByRole('radio', { name: 'Urgence attentat' }).check();
    expect(await page.getByLabel('Measures', { exact: true }).inputValue()).not.toBe('');
    await page.getByLabel('Headline', { exact: true }).fill('Urgence attentat across France');
    await page.getByLabel('Summary', { exact: true }).fill('An attack has taken place or is imminent.');
    await page.getByLabel('Declared by (authority)', { exact: true }).fill('SGDSN');
    await page.getByRole('button', { name: 'Review and preview' }).click();

    const reach = page.locator('.reach');
    await reach.waitFor();
    expect(await reach.textContent()).toBe('It will reach 1 webhook endpoint and 1 email subscriber.');
    expect(await page.locator('.changes li').allTextContents()).toEqual([
      'France (FR): no level → Urgence attentat — escalated',
    ]);
    // Nothing is published by the preview.
    expect((await test.http.get('/v1/levels/FR').expect(200)).body.levels).toEqual([]);
    await page.screenshot({
      path: join(ARTIFACTS, 'console-preview-desktop.png'),
      fullPage: true,
      animations: 'disabled',
    });

    await page.getByRole('button', { name: 'Publish now' }).click();
    const published = page.locator('.published');
    await published.waitFor();
    const id = await published.getAttribute('data-declaration');
    const declaration = (await test.http.get(`/v1/declarations/${id}`).expect(200)).body;
    expect(declaration).toMatchObject({
      status: 'active',
      scheme: 'fr-vigipirate',
      level: { code: 'urgence-attentat' },
      areas: [{ code: 'FR' }],
      headline: 'Urgence attentat across France',
      authority: 'SGDSN',
      createdBy: 'bootstrap admin (ADMIN_API_KEY)',
    });

    await page.getByRole('link', { name: 'See the map' }).click();
    await waitForMapLevel(page, 'FR', 'urgence-attentat');
    expect(await mapLevel(page, 'FR')).toEqual({
      level: 'urgence-attentat',
      fill: fr['urgence-attentat'].color,
    });
    expect(await page.locator('li[data-country="FR"] .chip').textContent()).toBe('Urgence attentat');

    const phone = await signedInConsole(PHONE);
    await phone.screenshot({
      path: join(ARTIFACTS, 'console-phone.png'),
      fullPage: true,
      animations: 'disabled',
    });
    for (const file of ['console-preview-desktop.png', 'console-phone.png']) {
      expect(statSync(join(ARTIFACTS, file)).size).toBeGreaterThan(10_000);
    }
  });

  it('an admin schedules a declaration from the console and cancels it there', async () => {
    const page = await signedInConsole();
    await page.getByLabel('Country', { exact: true }).selectOption('NL');
    await page.getByRole('radio', { name: 'Substantial' }).check();
    await page.getByLabel('Headline', { exact: true }).fill('Substantial from tomorrow');
    await page.getByLabel('Summary', { exact: true }).fill('Raised for a summit.');
    await page.getByLabel('Declared by (authority)', { exact: true }).fill('NCTV');
    // datetime-local takes the reader's wall-clock time; the page sends it as an instant with its offset.
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 86_400_000);
      d.setSeconds(0, 0);
      const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
      return { local, instant: d.toISOString() };
    });
    await page.getByLabel('Starts (optional)', { exact: true }).fill(tomorrow.local);
    await page.getByRole('button', { name: 'Review and preview' }).click();
    const schedule = page.getByRole('button', { name: /^Schedule for / });
    await schedule.click();
    await page.getByRole('heading', { name: 'Scheduled' }).waitFor();
    const id = await page.locator('.published').getAttribute('data-declaration');
    expect((await test.http.get(`/v1/declarations/${id}`).expect(200)).body).toMatchObject({
      status: 'scheduled',
      areas: [{ code: 'NL' }],
      effectiveAt: tomorrow.instant,
    });

    await page.getByRole('link', { name: 'Declarations', exact: true }).click();
    const card = page.locator(`article[data-declaration="${id}"]`);
    await card.waitFor();
    await card.getByRole('button', { name: 'Cancel “Substantial from tomorrow”…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel “Substantial from tomorrow”?' });
    await dialog.getByLabel('Reason (optional, kept in the record)').fill('The summit moved.');
    await dialog.getByRole('button', { name: 'Cancel the declaration' }).click();
    await page.getByText('“Substantial from tomorrow” is cancelled.').waitFor();
    expect(await card.count()).toBe(0);
    expect((await test.http.get(`/v1/declarations/${id}`).expect(200)).body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'The summit moved.',
      cancelledBy: 'bootstrap admin (ADMIN_API_KEY)',
    });
  });

  it('shows the delivery screens, and says so when the server has no delivery log', async () => {
    await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: 'http://127.0.0.1:9/nl', areas: ['NL'] })
      .expect(201);
    const page = await signedInConsole();
    await page.getByRole('link', { name: 'Failed deliveries' }).click();
    await page.getByRole('heading', { name: 'Failed deliveries' }).waitFor();
    await page.waitForFunction(() => document.querySelector('.deliveries')?.textContent !== 'Loading…');
    // Either the log (empty here: nothing has failed) or, on a server without the route, a notice.
    expect(await page.locator('.deliveries').textContent()).toMatch(
      /^(No failed deliveries\.|Delivery logs are not available: .+)$/,
    );

    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.locator('li.webhook').first().waitFor();
    expect(await page.locator('li.webhook code').allTextContents()).toEqual(
      expect.arrayContaining(['http://127.0.0.1:9/nl']),
    );
    await page
      .locator('li.webhook', { hasText: '/nl' })
      .getByRole('button', { name: 'Show delivery log' })
      .click();
    await page.waitForFunction(
      () => document.querySelector('.log:not([hidden]) .deliveries')?.textContent !== 'Loading…',
    );
    expect(await page.locator('.log:not([hidden]) .deliveries').textContent()).toMatch(
      /^(Nothing has been sent to this endpoint yet\.|Delivery logs are not available: .+)$/,
    );
    await page.screenshot({
      path: join(ARTIFACTS, 'console-webhooks-desktop.png'),
      fullPage: true,
      animations: 'disabled',
    });
  });

  it('the Sources screen shows each source’s state and documents, and what a source made says “via” it, in English and Russian', async () => {
    // A feed that is down: its poll leaves lastStatus and lastError.
    const down = createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('down for maintenance');
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    try {
      const feedUrl = `http://127.0.0.1:${(down.address() as AddressInfo).port}/alerts.atom`;
      const feed = (
        await test.http
          .post('/v1/sources')
          .set(test.as())
          .send({
            name: 'Regional feed',
            kind: 'cap-feed',
            url: feedUrl,
            pollSeconds: 3600,
            scheme: 'travel-advisory',
            levelRules: [{ level: '2' }],
          })
          .expect(201)
      ).body;
      const push = (
        await test.http
          .post('/v1/sources')
          .set(test.as())
          .send({
            name: 'RSO CAP editor',
            kind: 'cap-push',
            scheme: 'travel-advisory',
            levelRules: [{ level: '3', severity: 'Severe' }],
          })
          .expect(201)
      ).body;
      const send = async (xml: string) =>
        (
          await test.http
            .post(`/v1/sources/${push.id}/alerts`)
            .set('authorization', `Bearer ${push.pushKey}`)
            .set('content-type', 'application/cap+xml')
            .send(xml)
            .expect(202)
        ).body as { outcome: string; reason?: string; declarationIds: string[] };
      const alert = capAlert('RSO-2026-0001', 'Severe');
      const imported = await send(alert);
      expect(imported).toMatchObject({ outcome: 'imported', declarationIds: [expect.any(String)] });
      expect((await send(alert)).outcome).toBe('duplicate');
      const rejected = await send(capAlert('RSO-2026-0002', 'Minor'));
      expect(rejected).toMatchObject({ outcome: 'rejected', reason: expect.any(String) });
      const [id] = imported.declarationIds;
      expect((await test.http.get(`/v1/declarations/${id}`).expect(200)).body.origin).toEqual({
        sourceId: push.id,
        sourceName: 'RSO CAP editor',
        sender: 'cap@rso.example.org',
        identifier: 'RSO-2026-0001',
        sent: expect.any(String),
      });

      await test.http.post(`/v1/sources/${feed.id}/poll`).set(test.as()).expect(202);
      let failing = feed;
      for (const deadline = Date.now() + LIVE_TIMEOUT_MS; !failing.lastError && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        failing = (await test.http.get(`/v1/sources/${feed.id}`).set(test.as()).expect(200)).body;
      }
      expect(failing).toMatchObject({ lastStatus: 500, lastError: expect.any(String) });

      const page = await signedInConsole();
      await page.getByRole('link', { name: 'Sources', exact: true }).click();
      await page.getByRole('heading', { name: 'Sources', exact: true }).waitFor();
      const fact = (entry: ReturnType<Page['locator']>, term: string) =>
        entry.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').textContent();
      const feedEntry = page.locator(`li.source[data-source="${feed.id}"]`);
      expect(await feedEntry.locator('h3').textContent()).toBe('Regional feed failing');
      expect(await fact(feedEntry, 'Kind')).toBe('CAP feed (polled)');
      expect(await fact(feedEntry, 'Address')).toBe(feedUrl);
      expect(await fact(feedEntry, 'Polled')).toBe('every 3,600 seconds');
      expect(await fact(feedEntry, 'Last status')).toBe('HTTP 500');
      expect(await fact(feedEntry, 'Last error')).toBe(failing.lastError);
      expect(await fact(feedEntry, 'Last fetched')).not.toBe('never');

      const pushEntry = page.locator(`li.source[data-source="${push.id}"]`);
      // Its last document was rejected: the push was answered, and lastError says why.
      expect(await pushEntry.locator('h3').textContent()).toBe('RSO CAP editor needs attention');
      expect(await fact(pushEntry, 'Kind')).toBe('CAP push (sent to us)');
      expect(await fact(pushEntry, 'Last status')).toBe('HTTP 202');
      expect(await fact(pushEntry, 'Last error')).toBe(rejected.reason);
      expect(await pushEntry.locator('.counts').textContent()).toBe(
        '3 documents seen: 1 imported, 1 duplicate, 1 rejected.',
      );
      await pushEntry.getByRole('button', { name: 'Show received documents' }).click();
      const rows = pushEntry.locator('.source-items tbody tr');
      await rows.nth(2).waitFor();
      expect(
        await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-outcome')).sort()),
      ).toEqual(['duplicate', 'imported', 'rejected']);
      const rejectedRow = pushEntry.locator('tr[data-outcome="rejected"]');
      expect(await rejectedRow.locator('td').nth(1).textContent()).toBe(
        'RSO-2026-0002 · cap@rso.example.org',
      );
      expect(await rejectedRow.locator('td').nth(4).textContent()).toBe(rejected.reason);
      expect(
        await pushEntry
          .locator('tr[data-outcome="imported"]')
          .getByRole('link', { name: id })
          .getAttribute('href'),
      ).toBe(`/v1/declarations/${id}`);
      await page.screenshot({
        path: join(ARTIFACTS, 'console-sources-desktop.png'),
        fullPage: true,
        animations: 'disabled',
      });

      // Poll now and Disable act on the source, say so, and put the reader back on its entry.
      await feedEntry.getByRole('button', { name: 'Poll now: Regional feed' }).click();
      await page.getByText('Regional feed will be polled now; reload the screen for its result.').waitFor();
      await feedEntry.getByRole('button', { name: 'Disable: Regional feed' }).click();
      await page.getByText('Regional feed is disabled: it is neither polled nor accepts pushes.').waitFor();
      await feedEntry
        .locator('h3')
        .filter({ hasText: /^Regional feed disabled$/ })
        .waitFor();
      expect(await feedEntry.locator('h3').textContent()).toBe('Regional feed disabled');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`source-${feed.id}`);
      expect(await feedEntry.getByRole('button', { name: 'Poll now: Regional feed' }).count()).toBe(0);
      expect((await test.http.get(`/v1/sources/${feed.id}`).set(test.as()).expect(200)).body.enabled).toBe(
        false,
      );

      // The console's declaration list and the public page say where it came from, and link the document.
      await page.getByRole('link', { name: 'Declarations', exact: true }).click();
      const card = page.locator(`article[data-declaration="${id}"]`);
      await card.waitFor();
      expect(await card.locator('.via').textContent()).toBe(
        'via RSO CAP editor · the document as received (CAP)',
      );
      const href = await card
        .getByRole('link', { name: 'the document as received (CAP)' })
        .getAttribute('href');
      expect(href).toBe(`/v1/declarations/${id}/origin.xml`);
      expect((await test.http.get(href!).expect(200)).text).toBe(alert);

      const english = await open('/country/TJ');
      const publicCard = english.locator(`article[data-declaration="${id}"]`);
      await publicCard.waitFor();
      expect(await publicCard.locator('h3').textContent()).toBe('Reconsider travel to Tajikistan');
      expect(await publicCard.locator('.via').textContent()).toBe(
        'via RSO CAP editor · the document as received (CAP)',
      );

      const russian = await open('/country/TJ?lang=ru');
      const russianCard = russian.locator(`article[data-declaration="${id}"]`);
      await russianCard.waitFor();
      expect(await russianCard.locator('h3').textContent()).toBe('Пересмотрите поездки в Таджикистан');
      expect(await russianCard.locator('.via').textContent()).toBe(
        'получено через RSO CAP editor · исходный документ (CAP)',
      );
      expect(
        await russianCard.getByRole('link', { name: 'исходный документ (CAP)' }).getAttribute('href'),
      ).toBe(href);
      await russian.screenshot({
        path: join(ARTIFACTS, 'country-via-ru-desktop.png'),
        fullPage: true,
        animations: 'disabled',
      });

      // The Sources screen in Russian, its counts in Russian plural forms.
      const admin = await open('/admin?lang=ru');
      await admin.getByLabel('API-ключ', { exact: true }).fill(ADMIN_KEY);
      await admin.getByRole('button', { name: 'Войти' }).click();
      await admin.getByRole('link', { name: 'Источники', exact: true }).click();
      const russianPush = admin.locator(`li.source[data-source="${push.id}"]`);
      await russianPush.waitFor();
      expect(await russianPush.locator('.counts').textContent()).toBe(
        'Получено 3 документа: 1 импортирован, 1 повтор, 1 отклонён.',
      );
      const russianFeed = admin.locator(`li.source[data-source="${feed.id}"]`);
      expect(await russianFeed.locator('h3').textContent()).toBe('Regional feed отключён');
      await russianFeed.getByRole('button', { name: 'Включить: Regional feed' }).click();
      await admin.getByText('Источник Regional feed включён.').waitFor();
      // On again, it shows its last fetch's failure (the list is drawn again after the message, so wait for it).
      await russianFeed
        .locator('h3')
        .filter({ hasText: /^Regional feed сбой$/ })
        .waitFor();
      expect(await russianFeed.locator('h3').textContent()).toBe('Regional feed сбой');
      expect((await test.http.get(`/v1/sources/${feed.id}`).set(test.as()).expect(200)).body.enabled).toBe(
        true,
      );
    } finally {
      await new Promise((resolve) => down.close(resolve));
    }
  });

  describe('in English, Russian and Kazakh', () => {
    const htmlLang = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('lang'));
    const waitForLang = (page: Page, lang: string) =>
      page.waitForFunction((wanted) => document.documentElement.getAttribute('lang') === wanted, lang);
    // Every <time> on the page reads as Intl writes that instant in the page's language; where the browser has
    // no data for the language (Debian's Chromium has none for Kazakh: "2022 M01 7"), as dd.MM.yyyy, HH:mm.
    const timesFollowIntl = async (page: Page, lang: string) => {
      const pairs = await page.locator('time').evaluateAll((times, wanted) => {
        const month = (tag: string) =>
          new Intl.DateTimeFormat(tag, { month: 'long', timeZone: 'UTC' }).format(Date.UTC(2022, 0, 7));
        const digits = (at: Date) => {
          const parts = new Intl.DateTimeFormat('en', {
            day: '2-digit',
            month: '2-digit',
            year: 'numeric',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
          }).formatToParts(at);
          const part = Object.fromEntries(parts.map((p) => [p.type, p.value]));
          return `${part.day}.${part.month}.${part.year}, ${part.hour}:${part.minute}`;
        };
        const intl = new Intl.DateTimeFormat(wanted, { dateStyle: 'medium', timeStyle: 'short' });
        const write = /^M\d+$/.test(month(wanted)) ? digits : (at: Date) => intl.format(at);
        return times.map((time) => [time.textContent, write(new Date(time.getAttribute('datetime')!))]);
      }, lang);
      expect(pairs.length).toBeGreaterThan(0);
      for (const [shown, expected] of pairs) {
        expect(shown).toBe(expected);
        expect(shown).not.toMatch(/M\d\d/);
      }
    };

    it('the server sends index.html in the language of ?lang=, the cookie or Accept-Language, <html lang> to match', async () => {
      const page = async (path: string, headers: Record<string, string> = {}) => {
        const response = await test.http.get(path).set(headers).expect(200);
        expect(response.headers.vary).toBe('accept-language, cookie');
        return {
          lang: /<html lang="([^"]+)">/.exec(response.text)?.[1],
          contentLanguage: response.headers['content-language'],
          title: /<title[^>]*>([^<]*)<\/title>/.exec(response.text)?.[1],
        };
      };
      expect(await page('/')).toEqual({ lang: 'en', contentLanguage: 'en', title: 'Tocsin — threat levels' });
      expect(await page('/subscribe?lang=kk')).toEqual({
        lang: 'kk',
        contentLanguage: 'kk',
        title: 'Tocsin — қауіп деңгейлері',
      });
      expect(await page('/country/KZ', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' })).toEqual({
        lang: 'ru',
        contentLanguage: 'ru',
        title: 'Tocsin — уровни угрозы',
      });
      // The remembered choice over Accept-Language; ?lang= over both; a ?lang= that is not ours is passed over.
      expect((await page('/admin', { cookie: 'tocsin_lang=kk', 'accept-language': 'ru' })).lang).toBe('kk');
      expect((await page('/?lang=ru', { cookie: 'tocsin_lang=kk' })).lang).toBe('ru');
      expect((await page('/?lang=fr', { 'accept-language': 'ru' })).lang).toBe('ru');
      expect((await page('/index.html?lang=not_a_tag')).lang).toBe('en');
      // The switch names each language in itself, whatever the page's language.
      const ru = (await test.http.get('/?lang=ru').expect(200)).text;
      expect(ru).toMatch(/<a href="\?lang=kk" hreflang="kk" lang="kk" aria-label="Қазақша"[^>]*>қаз<\/a/);
      expect(ru).toMatch(/<a href="\?lang=en" hreflang="en" lang="en" aria-label="English"[^>]*>en<\/a/);
      expect(ru).toContain(
        '<a class="skip-link" href="#main" data-i18n="web.skipLink">Перейти к содержимому</a>',
      );
    });

    it('switches to Kazakh with the switch, and stays in Kazakh after a reload and on the next page', async () => {
      const red = (await test.http.get('/v1/schemes/kz-terror').expect(200)).body.levels.find(
        (level: { code: string }) => level.code === 'red',
      );
      const kazakhRed: string = red.translations?.kk?.name ?? red.name;
      const { body: declaration } = await declare({
        scheme: 'kz-terror',
        level: 'red',
        areas: ['KZ'],
        headline: 'Critical level across Kazakhstan',
        translations: {
          kk: {
            headline: 'Бүкіл Қазақстанда қатерлі деңгей',
            summary: 'Қайталанған шабуылдар болуы мүмкін.',
            measures: ['Адамдар көп жиналатын орындардан аулақ болыңыз.'],
          },
        },
      });

      const page = await open('/');
      await page.locator('li[data-country="KZ"] .chip').waitFor();
      expect(await htmlLang(page)).toBe('en');
      const languages = page.getByRole('navigation', { name: 'Language' });
      expect(
        await languages.getByRole('link').evaluateAll((links) => links.map((l) => l.textContent)),
      ).toEqual(['en', 'рус', 'қаз']);
      await languages.getByRole('link', { name: 'Қазақша' }).click();
      await waitForLang(page, 'kk');
      await page.getByRole('heading', { name: 'Қазіргі қауіп деңгейлері' }).waitFor();
      const kz = page.locator('li[data-country="KZ"]');
      await kz.locator('.chip').waitFor();
      expect(await kz.locator('a').textContent()).toBe('Қазақстан');
      expect(await kz.locator('.chip').textContent()).toBe(kazakhRed);
      expect(
        await page
          .getByRole('navigation', { name: 'Тіл' })
          .getByRole('link', { name: 'Қазақша' })
          .getAttribute('aria-current'),
      ).toBe('true');
      expect(await page.getByRole('link', { name: 'Мазмұнға өту' }).count()).toBe(1);
      await timesFollowIntl(page, 'kk');
      await page.screenshot({
        path: join(ARTIFACTS, 'map-kk-desktop.png'),
        fullPage: true,
        animations: 'disabled',
      });

      await page.reload();
      await waitForLang(page, 'kk');
      await page.getByRole('heading', { name: 'Қазіргі қауіп деңгейлері' }).waitFor();
      expect(await page.locator('li[data-country="KZ"] a').textContent()).toBe('Қазақстан');

      // Another page, with no ?lang= in its address: the choice is remembered.
      await page.goto(`${base}/country/KZ`);
      expect(await htmlLang(page)).toBe('kk');
      await page.getByRole('heading', { name: 'Тарих' }).waitFor();
      expect(await page.locator('h1').textContent()).toBe('Қазақстан (KZ)');
      const card = page.locator(`article[data-declaration="${declaration.id}"]`);
      expect(await card.locator('h3').textContent()).toBe('Бүкіл Қазақстанда қатерлі деңгей');
      expect(await card.locator('h3').getAttribute('lang')).toBe('kk');
      expect(await card.locator('ul').textContent()).toBe('Адамдар көп жиналатын орындардан аулақ болыңыз.');
      await timesFollowIntl(page, 'kk');

      // And back to English with the switch.
      await page.getByRole('link', { name: 'English' }).click();
      await waitForLang(page, 'en');
      await page.getByRole('heading', { name: 'History' }).waitFor();
      expect(await page.locator('h1').textContent()).toBe('Kazakhstan (KZ)');
      expect(await card.locator('h3').textContent()).toBe('Critical level across Kazakhstan');
    });

    it('?lang=ru gives the pages and the console in Russian, with Russian plurals and area names', async () => {
      await declare({
        scheme: 'travel-advisory',
        level: '3',
        areas: ['KG-GB'],
        headline: 'Reconsider travel to Bishkek',
      });
      const page = await open('/?lang=ru');
      expect(await htmlLang(page)).toBe('ru');
      await page.getByRole('heading', { name: 'Уровни угрозы сейчас' }).waitFor();
      const kg = page.locator('li[data-country="KG"]');
      await kg.locator('.chip').waitFor();
      expect(await kg.locator('a').textContent()).toBe('Киргизия');
      expect(await kg.locator('.level-line').textContent()).toMatch(/ в 1 регионе$/);
      expect(
        await page.getByRole('link', { name: 'Уровни угрозы', exact: true }).getAttribute('aria-current'),
      ).toBe('page');
      await timesFollowIntl(page, 'ru');

      const admin = await open('/admin?lang=ru');
      await admin.getByLabel('API-ключ', { exact: true }).fill(ADMIN_KEY);
      await admin.getByRole('button', { name: 'Войти' }).click();
      await admin.getByRole('heading', { name: 'Опубликовать объявление' }).waitFor();
      expect(await admin.title()).toBe('Опубликовать — Консоль — Tocsin');
      await admin.getByLabel('Страна', { exact: true }).selectOption('KG');
      expect(await admin.locator('label[for="whole-country"]').textContent()).toBe('Вся страна: Киргизия');
      expect(await admin.getByLabel('Язык текста', { exact: true }).inputValue()).toBe('ru');
      await admin.screenshot({
        path: join(ARTIFACTS, 'console-ru-desktop.png'),
        fullPage: true,
        animations: 'disabled',
      });
    });

    it('Accept-Language: ru gives Russian, and a sign-up made there asks for Russian emails', async () => {
      const page = await open('/subscribe', DESKTOP, async () => {}, { locale: 'ru-RU' });
      expect(await htmlLang(page)).toBe('ru');
      await page
        .getByRole('heading', { name: 'Оповещения об уровнях угрозы по электронной почте' })
        .waitFor();
      await page.getByLabel('Адрес электронной почты', { exact: true }).fill('ru-reader@ngo.example');
      await page.getByLabel('Территории', { exact: true }).fill('Казахстан');
      await page.getByRole('button', { name: 'Добавить', exact: true }).click();
      await page.getByRole('button', { name: 'Убрать: Казахстан (KZ)' }).waitFor();
      expect(await page.getByLabel('Язык писем', { exact: true }).inputValue()).toBe('ru');
      await page.getByLabel('Как присылать оповещения').selectOption({ label: 'Ежедневная сводка' });
      // Weekdays in the page's language, for a weekly one.
      await page.getByLabel('Как присылать оповещения').selectOption({ label: 'Еженедельная сводка' });
      expect(await page.locator('#digest-weekday option').first().textContent()).toBe('понедельник');
      await page.getByLabel('Как присылать оповещения').selectOption({ label: 'Ежедневная сводка' });
      await page.getByRole('button', { name: 'Отправить письмо для подтверждения' }).click();
      await page.getByRole('heading', { name: 'Проверьте почту' }).waitFor();
      const [row] = await test.db
        .select()
        .from(tables.emailSubscriptions)
        .where(eq(tables.emailSubscriptions.email, 'ru-reader@ngo.example'));
      expect(row).toMatchObject({
        areas: ['KZ'],
        language: 'ru',
        timeZone: null,
        delivery: 'daily',
        immediateMinRank: null,
        digestHour: 8,
      });
    });
  });
});

// The progress of a fan-out (issue 18, DESIGN §5.6): GET /v1/declarations/{id}/deliveries/summary counting a
// 300-endpoint fan-out to a real receiver down to nothing pending, and the console's progress bar in Debian's
// Chromium (driven by playwright-core, as test/web.e2e-spec.ts does) reaching 100 % after Publish, and a
// scheduled declaration's under Declarations from its start.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from './support/eventually';
import { createKey, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';
import { ARTIFACTS, launchChromium } from './support/browser';

declare const sessionStorage: { setItem(key: string, value: string): void };

const DESKTOP = { width: 1280, height: 860 };
const STATUSES = ['pending', 'sent', 'delivered', 'failed', 'skipped'] as const;

interface Counts {
  total: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
}
interface Summary extends Counts {
  declarationId: string;
  byChannel: Record<'webhook' | 'email' | 'sms', Counts>;
  startedAt: string | null;
  lastDeliveredAt: string | null;
  finishedAt: string | null;
  ratePerSecond: number;
  etaSeconds: number | null;
  fannedOut: boolean;
  events: number;
}

const NONE = { total: 0, pending: 0, sent: 0, delivered: 0, failed: 0, skipped: 0, held: 0 };

describe('the progress of a fan-out', () => {
  let receiver: WebhookReceiver;
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let integrator: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  /** `count` endpoints for `area` on the receiver, made through the API by `key` (default: the admin). */
  async function endpoints(area: string, count: number, key?: string): Promise<void> {
    for (let i = 0; i < count; i += 25)
      await Promise.all(
        Array.from({ length: Math.min(25, count - i) }, (_, j) =>
          test.http
            .post('/v1/webhooks')
            .set(test.as(key))
            .send({ url: receiver.url(`/${area}/${key ? 'own' : 'admin'}/${i + j}`), areas: [area] })
            .expect(201),
        ),
      );
  }
  const publish = (body: Record<string, unknown>) =>
    test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({
        scheme: 'kz-terror',
        level: 'red',
        headline: 'Critical terrorism threat level in Almaty',
        summary: 'Repeat attacks are possible.',
        authority: 'Anti-Terrorist Centre',
        ...body,
      })
      .expect(201);
  const summaryOf = async (id: string, key?: string): Promise<Summary> =>
    (await test.http.get(`/v1/declarations/${id}/deliveries/summary`).set(test.as(key)).expect(200))
      .body as Summary;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres');
    await test.app.listen(0, '127.0.0.1');
    base = (await test.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    integrator = await createKey(test, 'integrator', 'partner');
    // Almaty: 300 endpoints, 10 of them the integrator's; Astana: 50 for the console's publishing.
    await endpoints('KZ-75', 290);
    await endpoints('KZ-75', 10, integrator);
    await endpoints('KZ-71', 50);
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await receiver?.close();
  });
  afterEach(async () => {
    receiver.delayMs = 0;
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('the summary endpoint counting a 300-endpoint fan-out down to 0 pending', async () => {
    // Each answer waits, so that the deliveries stay pending for a while and the summary sees them go.
    receiver.delayMs = 150;
    const { id } = (await publish({ areas: ['KZ-75'] })).body as { id: string };
    const seen: Summary[] = [];
    const last = await eventually(
      async () => {
        const summary = await summaryOf(id);
        seen.push(summary);
        return summary;
      },
      (s) => s.fannedOut && s.pending === 0 && s.delivered === 300,
      { timeoutMs: 60_000, intervalMs: 25, what: '300 delivered, none pending' },
    );

    expect(last).toMatchObject({
      declarationId: id,
      total: 300,
      pending: 0,
      sent: 0,
      delivered: 300,
      failed: 0,
      skipped: 0,
      held: 0,
      byChannel: { webhook: { ...NONE, total: 300, delivered: 300 }, email: NONE, sms: NONE },
      etaSeconds: 0,
      fannedOut: true,
      events: 1,
    });
    expect(Date.parse(last.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(last.startedAt!));
    expect(Date.parse(last.lastDeliveredAt!)).toBeLessThanOrEqual(Date.now());
    expect(receiver.receipts.filter((r) => r.path.startsWith('/KZ-75/'))).toHaveLength(300);
    // It was seen counting down: deliveries waiting, then fewer, never more settled than the total.
    expect(seen.some((s) => s.pending > 0)).toBe(true);
    expect(seen.some((s) => s.ratePerSecond > 0)).toBe(true);
    for (const [i, s] of seen.entries()) {
      expect(STATUSES.reduce((sum, status) => sum + s[status], 0)).toBe(s.total);
      expect(s.byChannel.webhook.total).toBe(s.total);
      if (i === 0) continue;
      const before = seen[i - 1];
      expect(s.total).toBeGreaterThanOrEqual(before.total);
      expect(s.delivered).toBeGreaterThanOrEqual(before.delivered);
      expect(s.total - s.pending).toBeGreaterThanOrEqual(before.total - before.pending);
      if (before.fannedOut) expect(s.pending).toBeLessThanOrEqual(before.pending);
    }

    // An integrator counts the deliveries to its own endpoints; a viewer may not look.
    expect(await summaryOf(id, integrator)).toMatchObject({
      total: 10,
      delivered: 10,
      pending: 0,
      byChannel: { webhook: { ...NONE, total: 10, delivered: 10 } },
    });
    const viewer = await createKey(test, 'viewer', 'reader');
    await test.http.get(`/v1/declarations/${id}/deliveries/summary`).set(test.as(viewer)).expect(403);
  });

  it('answers zeros, not fanned out, for a scheduled declaration that has not started, and 404 for none', async () => {
    const startsAt = new Date(Date.now() + 24 * 3600_000).toISOString();
    const { id, status } = (await publish({ areas: ['KZ-75'], level: 'orange', effectiveAt: startsAt }))
      .body as { id: string; status: string };
    expect(status).toBe('scheduled');
    expect(await summaryOf(id)).toEqual({
      declarationId: id,
      ...NONE,
      byChannel: { webhook: NONE, email: NONE, sms: NONE },
      startedAt: null,
      lastDeliveredAt: null,
      finishedAt: null,
      ratePerSecond: 0,
      etaSeconds: null,
      fannedOut: false,
      events: 0,
    });
    const missing = await test.http
      .get('/v1/declarations/dcl_missing/deliveries/summary')
      .set(test.as())
      .expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.body.detail).toBe('There is no declaration "dcl_missing".');
  });

  /** The console at `hash`, signed in as the admin (its session put where the sign-in form would put it). */
  async function consoleAt(hash: string): Promise<Page> {
    const caller = (await test.http.get('/v1/api-keys/me').set(test.as()).expect(200)).body as object;
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${hash}: ${error.message}`));
    await page.addInitScript(
      ([k, c]) => {
        sessionStorage.setItem('tocsin.console.key', k);
        sessionStorage.setItem('tocsin.console.caller', c);
      },
      [test.as().authorization.slice('Bearer '.length), JSON.stringify(caller)] as const,
    );
    await page.goto(`${base}/admin#${hash}`);
    return page;
  }

  it('in Chromium the console’s progress bar reaching 100 %', async () => {
    // Answers slower than the console polls, so that it shows the deliveries pending before they are done.
    receiver.delayMs = 2500;
    const page = await consoleAt('publish');
    await page.getByRole('heading', { name: 'Publish a declaration' }).waitFor();
    await page.getByLabel('Country', { exact: true }).selectOption('KZ');
    await page.locator('#region-KZ-71').waitFor({ state: 'attached' });
    await page.locator('#whole-country').uncheck();
    await page.locator('#region-KZ-71').check();
    await page.getByRole('radio', { name: 'Critical' }).check();
    await page.getByLabel('Headline', { exact: true }).fill('Critical level in Astana');
    await page.getByLabel('Summary', { exact: true }).fill('Repeat attacks are possible.');
    await page.getByLabel('Declared by (authority)', { exact: true }).fill('Anti-Terrorist Centre');
    await page.getByRole('button', { name: 'Review and preview' }).click();
    await page.locator('.reach').waitFor();
    expect(await page.locator('.reach').getAttribute('data-webhooks')).toBe('50');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('heading', { name: 'Published', exact: true }).waitFor();
    const id = (await page.locator('.published').getAttribute('data-declaration'))!;

    const progress = page.locator(`.delivery-progress[data-declaration="${id}"]`);
    const bar = page.getByRole('progressbar', { name: 'Deliveries' });
    // First the 50 deliveries waiting for their answers…
    await progress.locator('progress[max="50"]').waitFor({ timeout: 10_000 });
    expect(await progress.getAttribute('data-done')).toBe('false');
    expect(Number(await bar.getAttribute('value'))).toBeLessThan(50);
    expect(await progress.locator('.progress-counts').textContent()).toContain('pending');
    // …then every one delivered, and "done".
    await page
      .locator(`.delivery-progress[data-declaration="${id}"][data-done="true"]`)
      .waitFor({ timeout: 30_000 });
    expect(await bar.getAttribute('value')).toBe('50');
    expect(await bar.getAttribute('max')).toBe('50');
    expect(await bar.getAttribute('aria-valuetext')).toBe('50 of 50 (100%)');
    expect(await progress.locator('.progress-counts').textContent()).toBe(
      '50 delivered · 0 failed · 0 pending',
    );
    expect(await progress.getByRole('status').textContent()).toBe('Done: 50 delivered, 0 failed.');
    expect(receiver.receipts.filter((r) => r.path.startsWith('/KZ-71/'))).toHaveLength(50);
    expect((await summaryOf(id)).delivered).toBe(50);

    const file = join(ARTIFACTS, 'console-delivery-progress.png');
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    expect(statSync(file).size).toBeGreaterThan(10_000);
  });

  it('in Chromium a scheduled declaration’s progress under Declarations, waiting for its start, then done', async () => {
    await endpoints('KZ-47', 20);
    const startsAt = new Date(Date.now() + 8000).toISOString();
    const { id, status } = (await publish({ areas: ['KZ-47'], effectiveAt: startsAt })).body as {
      id: string;
      status: string;
    };
    expect(status).toBe('scheduled');
    const page = await consoleAt('declarations');
    const progress = page.locator(`.delivery-progress[data-declaration="${id}"]`);
    await progress.waitFor();
    // Before its start it waits (no bar value, nothing asked of the API yet)…
    expect(await progress.getByRole('status').textContent()).toMatch(
      /^Starts .+; its deliveries show here from then\.$/,
    );
    expect(await progress.locator('progress').getAttribute('value')).toBeNull();
    expect(await progress.getAttribute('data-done')).toBe('false');
    // …and once it has started, follows its fan-out to the end.
    await page
      .locator(`.delivery-progress[data-declaration="${id}"][data-done="true"]`)
      .waitFor({ timeout: 30_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(startsAt));
    expect(await progress.locator('progress').getAttribute('value')).toBe('20');
    expect(await progress.locator('.progress-counts').textContent()).toBe(
      '20 delivered · 0 failed · 0 pending',
    );
    expect(receiver.receipts.filter((r) => r.path.startsWith('/KZ-47/'))).toHaveLength(20);
  });
});

// The approvers' console in a real browser (DESIGN.md §5.4): Debian's Chromium driven by playwright-core
// against the whole app on a real port, as test/web.e2e-spec.ts does. Publisher A's red waits under
// "Pending approval", where A may not approve it and B does; B rejects another with a reason; an admin's
// urgent red goes at once; an exercise carries its banner wherever a declaration is shown.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { stillAfter } from './support/eventually';
import { ADMIN_KEY, createKey, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';
import { ARTIFACTS, launchChromium } from './support/browser';

declare const sessionStorage: { setItem(key: string, value: string): void };

const DESKTOP = { width: 1280, height: 860 };

interface Caller {
  id: string;
  name: string;
  role: string;
}

describe('governance in the console, in Chromium', () => {
  let receiver: WebhookReceiver;
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let keyA: string;
  let keyB: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres');
    await test.app.listen(0, '127.0.0.1');
    base = (await test.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
    keyA = await createKey(test, 'publisher', 'desk A');
    keyB = await createKey(test, 'publisher', 'desk B');
    // Red (rank 3) needs a second key in Kazakhstan's scheme.
    await test.http
      .patch('/v1/schemes/kz-terror')
      .set(test.as())
      .send({ approval: { minRank: 3 } })
      .expect(200);
    await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/kz'), areas: ['KZ'] })
      .expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await receiver?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /** The console at `hash`, signed in with `key` (its session put where the sign-in form would put it). */
  async function consoleAs(key: string, hash: string, lang?: string): Promise<Page> {
    const caller = (await test.http.get('/v1/api-keys/me').set(test.as(key)).expect(200)).body as Caller;
    const context = await browser.newContext({ viewport: DESKTOP });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${hash}: ${error.message}`));
    await page.addInitScript(
      ([k, c]) => {
        sessionStorage.setItem('tocsin.console.key', k);
        sessionStorage.setItem('tocsin.console.caller', c);
      },
      [key, JSON.stringify(caller)] as const,
    );
    await page.goto(`${base}/admin${lang ? `?lang=${lang}` : ''}#${hash}`);
    return page;
  }

  const publishAs = (key: string, body: Record<string, unknown>) =>
    test.http
      .post('/v1/declarations')
      .set(test.as(key))
      .send({
        scheme: 'kz-terror',
        level: 'red',
        summary: 'Repeat attacks are possible.',
        authority: 'Anti-Terrorist Centre',
        ...body,
      })
      .expect(201);
  const levelsOf = async (area: string) =>
    (await test.http.get(`/v1/levels/${area}`).expect(200)).body.levels as {
      level: { code: string };
      declarationId: string;
    }[];
  const receiptsOf = (id: string) => receiver.at('/kz').filter((r) => r.body.includes(id));

  it('publisher A’s red waits under Pending approval; A cannot approve it, B can, and it is then in force', async () => {
    const a = await consoleAs(keyA, 'publish');
    await a.getByRole('heading', { name: 'Publish a declaration' }).waitFor();
    expect(await a.getByLabel('Mode', { exact: true }).inputValue()).toBe('actual');
    // Only an admin may skip approval.
    expect(await a.getByLabel('Urgent: publish without waiting for approval').count()).toBe(0);
    await a.getByLabel('Country', { exact: true }).selectOption('KZ');
    await a.getByRole('radio', { name: 'Critical' }).check();
    await a.getByLabel('Headline', { exact: true }).fill('Critical level across Kazakhstan');
    await a.getByLabel('Summary', { exact: true }).fill('Repeat attacks are possible.');
    await a.getByLabel('Declared by (authority)', { exact: true }).fill('Anti-Terrorist Centre');
    await a.getByRole('button', { name: 'Review and preview' }).click();
    await a.locator('.reach').waitFor();
    await a.getByRole('button', { name: 'Publish now' }).click();
    await a.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    const published = a.locator('.published');
    expect(await published.getAttribute('data-status')).toBe('pending_approval');
    expect(await published.textContent()).toContain('waits for another publisher to approve it');
    const id = (await published.getAttribute('data-declaration'))!;

    // Nothing is announced and no level changes while it waits.
    await stillAfter(
      1500,
      () => receiptsOf(id).length,
      (n) => n === 0,
      { what: 'nothing sent yet' },
    );
    expect(await levelsOf('KZ')).toEqual([]);

    await a.getByRole('link', { name: 'Pending approval' }).click();
    const own = a.locator(`article[data-declaration="${id}"]`);
    await own.waitFor();
    expect(await own.locator('.approval-waiting').textContent()).toBe(
      'You published this one: it is waiting for another approver.',
    );
    expect(await own.getByRole('button', { name: /^Approve/ }).count()).toBe(0);

    const b = await consoleAs(keyB, 'approvals');
    const card = b.locator(`article[data-declaration="${id}"]`);
    await card.waitFor();
    expect(await b.locator('.approval-count').textContent()).toBe('1 declaration waits for approval.');
    expect(await card.getByRole('heading', { level: 3 }).textContent()).toBe(
      'Critical level across Kazakhstan',
    );
    expect(await card.locator('.chip').first().textContent()).toBe('Critical');
    expect(await card.textContent()).toContain('waiting for approval');
    expect(await card.textContent()).toContain('Kazakhstan (KZ)');
    expect(await card.locator('.asked-by').textContent()).toMatch(/^Published by desk A, /);
    expect(await card.locator('.asked-by time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await card.locator('.reach').waitFor();
    expect(await card.locator('.reach').textContent()).toBe(
      'It will reach 1 webhook endpoint and 0 email subscribers.',
    );
    expect(await card.locator('.changes li').allTextContents()).toEqual([
      'Kazakhstan (KZ): no level → Critical — escalated',
    ]);
    await b.screenshot({ path: join(ARTIFACTS, 'console-pending-approval.png'), fullPage: true });

    await card.getByRole('button', { name: 'Approve “Critical level across Kazakhstan”' }).click();
    await b.getByRole('status').filter({ hasText: 'is approved and announced.' }).waitFor();
    expect(await b.getByRole('status').filter({ hasText: 'approved' }).textContent()).toBe(
      '“Critical level across Kazakhstan” is approved and announced.',
    );
    expect(await card.count()).toBe(0);
    expect(await b.locator('.approval-count').textContent()).toBe('Nothing is waiting for approval.');

    await receiver.waitFor(() => receiptsOf(id).length === 1, 20_000, 'the approved red at /kz');
    expect((await levelsOf('KZ')).map((l) => l.level.code)).toEqual(['red']);
    await b.getByRole('link', { name: 'Declarations', exact: true }).click();
    const inForce = b.locator(`article[data-declaration="${id}"]`);
    await inForce.waitFor();
    expect(await inForce.textContent()).toContain('active');
  });

  it('B rejects A’s red with a reason, which the dialog requires, and nothing is sent', async () => {
    const pending = await publishAs(keyA, { areas: ['KZ-71'], headline: 'Critical level in Astana' });
    expect(pending.body.status).toBe('pending_approval');
    const id = pending.body.id as string;

    const b = await consoleAs(keyB, 'approvals');
    const card = b.locator(`article[data-declaration="${id}"]`);
    await card.waitFor();
    await card.getByRole('button', { name: 'Reject “Critical level in Astana”…' }).click();
    const dialog = b.getByRole('dialog', { name: 'Reject “Critical level in Astana”?' });
    await dialog.getByRole('button', { name: 'Reject the declaration' }).click();
    await dialog.getByText('Give a reason for rejecting it.').waitFor();
    expect(await dialog.getByLabel('Reason (required)').getAttribute('aria-invalid')).toBe('true');
    expect((await test.http.get(`/v1/declarations/${id}`).set(test.as(keyB)).expect(200)).body.status).toBe(
      'pending_approval',
    );

    await dialog.getByLabel('Reason (required)').fill('Not confirmed by the KNB.');
    await dialog.getByRole('button', { name: 'Reject the declaration' }).click();
    await b.getByText('“Critical level in Astana” is rejected.').waitFor();
    expect(await card.count()).toBe(0);
    const rejected = (await test.http.get(`/v1/declarations/${id}`).set(test.as(keyB)).expect(200)).body;
    expect(rejected).toMatchObject({ status: 'rejected', approval: 'rejected' });
    expect(JSON.stringify(rejected)).toContain('Not confirmed by the KNB.');
    await stillAfter(
      1000,
      () => receiptsOf(id).length,
      (n) => n === 0,
      { what: 'nothing sent' },
    );
    expect((await levelsOf('KZ-71')).filter((l) => l.declarationId === id)).toEqual([]);
  });

  it('A’s cancel of an approved red waits for B under Pending approval, and B’s approval ends it', async () => {
    const headline = 'Critical level in Pavlodar';
    const published = await publishAs(keyA, { areas: ['KZ-55'], headline });
    const id = published.body.id as string;
    await test.http.post(`/v1/declarations/${id}/approve`).set(test.as(keyB)).send({}).expect(200);

    const a = await consoleAs(keyA, 'declarations');
    const inForce = a.locator(`article[data-declaration="${id}"]`);
    await inForce.waitFor();
    await inForce.getByRole('button', { name: `Cancel “${headline}”…` }).click();
    const dialog = a.getByRole('dialog', { name: `Cancel “${headline}”?` });
    await dialog.getByLabel('Reason (optional, kept in the record)').fill('The threat has passed.');
    await dialog.getByRole('button', { name: 'Cancel the declaration' }).click();
    await a
      .getByText(
        `The cancellation of “${headline}” waits for another publisher to approve it; it stays in force until then.`,
      )
      .waitFor();
    expect(await inForce.count()).toBe(1);
    const asked = (await test.http.get(`/v1/declarations/${id}`).set(test.as(keyA)).expect(200)).body;
    expect(asked).toMatchObject({
      status: 'active',
      cancelledAt: null,
      cancelRequest: { reason: 'The threat has passed.' },
    });

    await a.getByRole('link', { name: 'Pending approval' }).click();
    const own = a.locator(`article[data-declaration="${id}"]`);
    await own.waitFor();
    expect(await own.getAttribute('data-awaiting')).toBe('cancellation');
    expect(await own.locator('.approval-waiting').textContent()).toBe(
      'You asked for this cancellation: it is waiting for another approver.',
    );
    expect(await own.getByRole('button', { name: /^Approve/ }).count()).toBe(0);

    const b = await consoleAs(keyB, 'approvals');
    const card = b.locator(`article[data-declaration="${id}"]`);
    await card.waitFor();
    expect(await card.locator('.asked-by').textContent()).toMatch(/^Cancellation asked by desk A, /);
    expect(await card.locator('.cancel-reason').textContent()).toBe('Reason: The threat has passed.');
    await card.getByRole('button', { name: `Approve the cancellation of “${headline}”` }).click();
    await b.getByText(`“${headline}” is cancelled.`).waitFor();
    expect(await card.count()).toBe(0);
    expect((await test.http.get(`/v1/declarations/${id}`).set(test.as(keyB)).expect(200)).body.status).toBe(
      'cancelled',
    );
  });

  it('an admin’s urgent red goes at once with its reason, and the form asks for the reason first', async () => {
    const admin = await consoleAs(ADMIN_KEY, 'publish');
    await admin.getByRole('heading', { name: 'Publish a declaration' }).waitFor();
    await admin.getByLabel('Country', { exact: true }).selectOption('KZ');
    await admin.locator('#whole-country').uncheck();
    await admin.getByLabel(/\(KZ-79\)$/).check();
    await admin.getByRole('radio', { name: 'Critical' }).check();
    await admin.getByLabel('Headline', { exact: true }).fill('Critical level in Shymkent');
    await admin.getByLabel('Summary', { exact: true }).fill('An attack has taken place.');
    await admin.getByLabel('Declared by (authority)', { exact: true }).fill('Anti-Terrorist Centre');
    await admin.getByLabel('Urgent: publish without waiting for approval').check();
    await admin.getByRole('button', { name: 'Review and preview' }).click();
    await admin.getByText('Give the reason for publishing without approval.').waitFor();

    await admin.getByLabel('Why it cannot wait', { exact: true }).fill('Shots fired in the city centre.');
    await admin.getByRole('button', { name: 'Review and preview' }).click();
    await admin.getByRole('button', { name: 'Publish now' }).click();
    await admin.getByRole('heading', { name: 'Published' }).waitFor();
    const id = await admin.locator('.published').getAttribute('data-declaration');
    expect((await test.http.get(`/v1/declarations/${id}`).expect(200)).body).toMatchObject({
      status: 'active',
      approval: 'urgent',
    });
    expect((await levelsOf('KZ-79')).map((l) => l.level.code)).toContain('red');
  });

  it('an exercise published with the mode selector carries its banner, in English, Russian and Kazakh', async () => {
    const admin = await consoleAs(ADMIN_KEY, 'publish');
    await admin.getByRole('heading', { name: 'Publish a declaration' }).waitFor();
    await admin.getByLabel('Mode', { exact: true }).selectOption('exercise');
    await admin.getByLabel('Country', { exact: true }).selectOption('KZ');
    await admin.locator('#whole-country').uncheck();
    await admin.getByLabel(/\(KZ-75\)$/).check();
    await admin.getByRole('radio', { name: 'Moderate' }).check();
    await admin.getByLabel('Headline', { exact: true }).fill('Drill: moderate level in Almaty');
    await admin.getByLabel('Summary', { exact: true }).fill('A staff exercise.');
    await admin.getByLabel('Declared by (authority)', { exact: true }).fill('Anti-Terrorist Centre');
    await admin.getByRole('button', { name: 'Review and preview' }).click();
    await admin.locator('.review .exercise-banner').waitFor();
    expect(await admin.locator('.review .exercise-banner').textContent()).toBe(
      'Exercise — no level has changed',
    );
    await admin.getByRole('button', { name: 'Publish now' }).click();
    await admin.getByRole('heading', { name: 'Published' }).waitFor();
    const id = await admin.locator('.published').getAttribute('data-declaration');
    expect((await test.http.get(`/v1/declarations/${id}`).expect(200)).body.mode).toBe('exercise');
    // It changes no level: none in Almaty comes from it.
    expect((await levelsOf('KZ-75')).filter((l) => l.declarationId === id)).toEqual([]);

    for (const [lang, banner] of [
      [undefined, 'Exercise — no level has changed'],
      ['ru', 'Учения — уровень не изменился'],
      ['kk', 'Оқу-жаттығу — деңгей өзгерген жоқ'],
    ] as const) {
      const page = await consoleAs(ADMIN_KEY, 'declarations', lang);
      const card = page.locator(`article[data-declaration="${id}"]`);
      await card.waitFor();
      expect(await card.getAttribute('data-mode')).toBe('exercise');
      expect(await card.getByRole('note').textContent()).toBe(banner);
    }
    // An actual declaration has no banner.
    const page = await consoleAs(ADMIN_KEY, 'declarations');
    await page.locator('article.declaration').first().waitFor();
    expect(await page.locator('article.mode-actual .exercise-banner').count()).toBe(0);
  });

  it('the Webhooks screen says which endpoint also receives exercises', async () => {
    const created = await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/drills'), areas: ['*'], exercises: true })
      .expect(201);
    const page = await consoleAs(ADMIN_KEY, 'webhooks');
    const drills = page.locator(`li[data-webhook="${created.body.id}"]`);
    await drills.waitFor();
    expect(await drills.textContent()).toContain('also receives exercises and tests');
    const others = page.locator('li.webhook').filter({ hasNotText: 'exercises' });
    expect(await others.count()).toBeGreaterThan(0);
  });
});

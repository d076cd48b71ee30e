// Alert emails a person reads at a glance and in one thread per area (issue 18, DESIGN.md §5.6), over real
// SMTP with the whole app, and the received HTML in Debian's Chromium. Screenshots go to test-artifacts/
// (git-ignored) for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatLongInstant } from '@tocsin/i18n';
import { ParsedMail } from 'mailparser';
import { Browser } from 'playwright-core';
import { linkIn, SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';
import { ARTIFACTS, launchChromium } from './support/browser';

declare function getComputedStyle(element: unknown): { color: string; backgroundColor: string };

const PUBLIC_URL = 'https://alerts.tocsin.test';
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

// 7 January 2022 03:00 UTC: 09:00 in Almaty (UTC+6 then), 08:30 in Kolkata (UTC+5:30).
const EFFECTIVE = '2022-01-07T03:00:00Z';
const SOURCE = 'https://www.gov.kz/memleket/entities/antiterror/press/news/details/1?lang=en';

const declaration = (overrides: Record<string, unknown> = {}) => ({
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  effectiveAt: EFFECTIVE,
  headline: 'Critical terrorism threat level across Kazakhstan',
  summary: 'Repeat attacks are possible.',
  measures: ['Vehicles are searched at checkpoints.'],
  authority: 'Anti-Terrorist Centre',
  sourceUrl: SOURCE,
  ...overrides,
});

/** A header as mailparser gives it: References may come as a list. */
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : value);

describe('alert emails', () => {
  let smtp: SmtpSink;
  let test: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    smtp = await SmtpSink.start();
    test = await startTestApp('postgres', { SMTP_URL: smtp.url, PUBLIC_URL });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await smtp?.close();
  });

  /** Signs up and confirms with the link of the confirmation mail, as a subscriber does. */
  async function subscribed(email: string, body: Record<string, unknown>): Promise<void> {
    await test.http
      .post('/v1/email-subscriptions')
      .send({ email, ...body })
      .expect(202);
    const [confirmation] = await smtp.waitFor(email);
    const link = linkIn(confirmation, `${PUBLIC_URL}/v1/email-subscriptions/confirm?token=`);
    await test.http
      .post('/v1/email-subscriptions/confirm')
      .send({ token: tokenOf(link) })
      .expect(200);
  }

  const publish = (overrides: Record<string, unknown> = {}) =>
    test.http.post('/v1/declarations').set(test.as()).send(declaration(overrides)).expect(201);

  /** The alerts to `email`: what came after its confirmation mail, waiting for `count`. */
  const alertsTo = async (email: string, count: number): Promise<ParsedMail[]> =>
    (await smtp.waitFor(email, count + 1, 20_000)).slice(1);

  it('threads two alerts of one area: the same References and In-Reply-To, different Message-IDs', async () => {
    await subscribed('thread@ngo.example', { areas: ['KZ'], language: 'en' });
    await subscribed('other-reader@ngo.example', { areas: ['KZ'], language: 'en' });

    await publish();
    const [first] = await alertsTo('thread@ngo.example', 1);
    await publish({ level: 'orange', headline: 'High terrorism threat level across Kazakhstan' });
    const [, second] = await alertsTo('thread@ngo.example', 2);
    const others = await alertsTo('other-reader@ngo.example', 2);

    expect(first.subject).toBe('Kazakhstan — terrorism threat level CRITICAL (red)');
    expect(second.subject).toBe('Kazakhstan — terrorism threat level HIGH (orange)');
    const root = one(first.references);
    expect(root).toMatch(/^<chain\.[0-9a-f]{24}@alerts\.tocsin\.test>$/);
    expect(first.inReplyTo).toBe(root);
    expect(one(second.references)).toBe(root);
    expect(second.inReplyTo).toBe(root);
    // Each keeps its own Message-ID, its delivery's; the root is none of them.
    expect(first.messageId).toMatch(/^<[^@\s]+@alerts\.tocsin\.test>$/);
    expect(second.messageId).toMatch(/^<[^@\s]+@alerts\.tocsin\.test>$/);
    expect(new Set([first.messageId, second.messageId, root]).size).toBe(3);
    // Another subscriber of the same area has a thread of its own, as steady.
    expect(one(others[0].references)).not.toBe(root);
    expect(one(others[1].references)).toBe(one(others[0].references));
    expect(others[1].inReplyTo).toBe(one(others[0].references));

    // The text part: the change, the dates for people, the source and the country page.
    expect(second.text).toContain('Kazakhstan (KZ): CRITICAL (red) → HIGH (orange)\n');
    expect(second.text).toContain('In force from: Friday, 7 January 2022 at 09:00 (UTC+6)\n');
    expect(second.text).toContain(`Issued by Anti-Terrorist Centre.\nSource: ${SOURCE}\n`);
    expect(second.text).toContain(`Details: ${PUBLIC_URL}/country/KZ\n`);
    expect(second.text).not.toMatch(/&[a-z]+;|<\/?[a-z]+[ >]/);
  });

  it('renders in Chromium with the level as a badge in its colour and the date for people', async () => {
    await subscribed('glance@ngo.example', {
      areas: ['KZ-75'],
      language: 'en',
      timeZone: 'Asia/Kolkata',
    });
    // Still in force: a declaration that has already expired is history, and alerts nobody.
    const until = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 30 * 86_400_000);
    await publish({
      areas: ['KZ-75'],
      headline: 'Critical terrorism threat level in Almaty',
      expiresAt: until.toISOString(),
    });
    const [alert] = await alertsTo('glance@ngo.example', 1);
    expect(typeof alert.html).toBe('string');

    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    try {
      // Nothing an alert needs is fetched: no image, no stylesheet. Links stay links.
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.setContent(alert.html as string, { waitUntil: 'load' });

      const badge = page.locator('.level-badge', { hasText: 'CRITICAL (red)' });
      await expect(badge.isVisible()).resolves.toBe(true);
      const colours = await badge.evaluate((element) => {
        const style = getComputedStyle(element);
        return { background: style.backgroundColor, text: style.color };
      });
      expect(colours).toEqual({ background: 'rgb(211, 47, 47)', text: 'rgb(255, 255, 255)' });

      // In the subscriber's zone, half an hour off the hour, with its offset.
      const from = page.getByText('Friday, 7 January 2022 at 08:30 (UTC+5:30)', { exact: true });
      await expect(from.isVisible()).resolves.toBe(true);
      await expect(
        page.getByText(formatLongInstant(until, 'en', 'Asia/Kolkata'), { exact: true }).isVisible(),
      ).resolves.toBe(true);
      await expect(page.getByRole('link', { name: 'Details' }).getAttribute('href')).resolves.toBe(
        `${PUBLIC_URL}/country/KZ`,
      );
      await expect(page.getByRole('link', { name: 'Source' }).getAttribute('href')).resolves.toBe(SOURCE);
      expect(requests).toEqual([]);

      await page.screenshot({
        path: join(ARTIFACTS, 'alert-email.png'),
        fullPage: true,
        animations: 'disabled',
      });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({
        path: join(ARTIFACTS, 'alert-email-phone.png'),
        fullPage: true,
        animations: 'disabled',
      });
    } finally {
      await page.close();
    }
  });
});

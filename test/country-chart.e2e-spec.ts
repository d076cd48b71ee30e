// The country page's step chart of each scheme's level over time, in Chromium (DESIGN.md §5.6): the UK's
// threat level 2006–2024 published after the fact, Kazakhstan's January 2022 red that expired, both read in
// the chart as in the history table. Screenshots go to test-artifacts/country-chart-*.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { JANUARY_2022_STEPS } from './support/kazakhstan-2022';
import { createKey, startTestApp, TestApp } from './support/test-app';
import { UK_THREAT_LEVELS_2006_2024 } from './support/uk-threat-levels';
import { ARTIFACTS, launchChromium } from './support/browser';

// The few browser globals the callbacks run in the page use (the backend's tsconfig has no DOM lib).
interface ChartElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): ChartElement | null;
  querySelectorAll(selector: string): ArrayLike<ChartElement>;
  getBoundingClientRect(): { width: number };
}

const DESKTOP = { width: 1280, height: 860 };
const PHONE = { width: 390, height: 844 };

interface SchemeLevel {
  code: string;
  name: string;
  rank: number;
  color: string;
}

/** What the chart draws, read from its SVG: the steps in document order, the rows bottom to top. */
const readChart = (page: Page, area: string, scheme: string) =>
  page
    .locator(`figure[data-area="${area}"] svg.level-chart[data-scheme="${scheme}"]`)
    .evaluate((chart: ChartElement) => {
      const number = (element: ChartElement | null, name: string) => Number(element?.getAttribute(name));
      return {
        role: chart.getAttribute('role'),
        label: chart.getAttribute('aria-label'),
        viewBoxWidth: Number(chart.getAttribute('viewBox')?.split(' ')[2]),
        shownWidth: chart.getBoundingClientRect().width,
        focusable: chart.querySelectorAll('[tabindex], a').length,
        steps: Array.from(chart.querySelectorAll('g.step')).map((step) => ({
          level: step.getAttribute('data-level'),
          countrywide: step.getAttribute('class')!.split(' ').includes('step-countrywide'),
          from: step.getAttribute('data-from'),
          color: step.getAttribute('data-color'),
          stroke: step.querySelector('line')?.getAttribute('stroke'),
          x: number(step.querySelector('circle'), 'cx'),
          y: number(step.querySelector('circle'), 'cy'),
          title: step.querySelector('title')?.textContent,
        })),
        rows: Array.from(chart.querySelectorAll('g.row-label')).map((row) => ({
          level: row.getAttribute('data-level'),
          name: row.querySelector('text')?.textContent,
          fill: row.querySelector('rect')?.getAttribute('fill'),
          textFill: row.querySelector('text')?.getAttribute('fill'),
          y: number(row.querySelector('rect'), 'y') + number(row.querySelector('rect'), 'height') / 2,
        })),
        risers: chart.querySelectorAll('g.risers line').length,
        ticks: Array.from(chart.querySelectorAll('.tick-label')).map((tick) => tick.textContent),
      };
    });

describe('the country page’s level chart, in Chromium', () => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let uk: Record<string, SchemeLevel>;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    test = await startTestApp('postgres');
    await test.app.listen(0, '127.0.0.1');
    base = (await test.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();

    // Published after the fact, oldest first, as a publisher records a history.
    const publisher = await createKey(test, 'publisher', 'JTAC desk');
    for (const step of UK_THREAT_LEVELS_2006_2024)
      await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({
          scheme: 'uk-terror',
          areas: ['GB'],
          ...step,
          headline: `The UK threat level is ${step.level}`,
          summary: 'Recorded after the fact.',
          authority: 'Joint Terrorism Analysis Centre',
        })
        .expect(201);
    for (const step of JANUARY_2022_STEPS)
      await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({
          ...step,
          headline: `${step.level} for ${step.areas.join(', ')}`,
          summary: 'Recorded after the fact.',
          authority: 'Anti-Terrorist Centre',
        })
        .expect(201);
    const scheme = await test.http.get('/v1/schemes/uk-terror').expect(200);
    uk = Object.fromEntries((scheme.body.levels as SchemeLevel[]).map((l) => [l.code, l]));
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function open(path: string, viewport = DESKTOP, options: BrowserContextOptions = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      isMobile: viewport === PHONE,
      hasTouch: viewport === PHONE,
      // Titles and ticks in one zone, so the dates they say are the same on every machine.
      timezoneId: 'UTC',
      ...options,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy'))
        pageErrors.push(`${path}: ${message.text()}`);
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  it('draws the UK 2006–2024 history as one step per change, in order, coloured and named by level', async () => {
    const history = await test.http.get('/v1/levels/GB/history?limit=200').expect(200);
    expect(history.body.items).toHaveLength(UK_THREAT_LEVELS_2006_2024.length);

    const page = await open('/country/GB');
    await page.getByRole('heading', { name: 'Level over time' }).waitFor();
    const chart = await readChart(page, 'GB', 'uk-terror');

    expect(chart.role).toBe('img');
    expect(chart.label).toMatch(
      /^Step chart of United Kingdom national terrorism threat levels in United Kingdom: 18 changes from Aug 1, 2006, 12:00 PM to .+; now Substantial\. The history table lists every change\.$/,
    );
    expect(chart.steps.map((s) => [s.from, s.level])).toEqual(
      UK_THREAT_LEVELS_2006_2024.map((s) => [new Date(s.effectiveAt).toISOString(), s.level]),
    );
    for (const step of chart.steps) {
      expect(step.countrywide).toBe(false);
      expect(step.color).toBe(uk[step.level!].color);
      expect(step.stroke).toBe(uk[step.level!].color);
    }
    // Left to right in time, each on its level's row; one riser between each two steps.
    for (let i = 1; i < chart.steps.length; i++)
      expect(chart.steps[i].x).toBeGreaterThan(chart.steps[i - 1].x);
    const rowY = new Map(chart.rows.map((r) => [r.level, r.y]));
    for (const step of chart.steps) expect(step.y).toBeCloseTo(rowY.get(step.level)!, 5);
    expect(chart.risers).toBe(chart.steps.length - 1);

    // Every level of the scheme, bottom to top by rank, its name on its colour in black or white.
    expect(chart.rows.map((r) => [r.level, r.name, r.fill])).toEqual(
      Object.values(uk)
        .sort((a, b) => a.rank - b.rank)
        .map((l) => [l.code, l.name, l.color]),
    );
    for (const row of chart.rows) expect(['#000000', '#ffffff']).toContain(row.textFill);
    expect(chart.ticks).toEqual(expect.arrayContaining(['2010', '2014', '2018', '2022']));

    // Hovering a step tells its level and dates.
    expect(chart.steps[1].title).toBe('Critical: Aug 10, 2006, 12:00 PM – Aug 14, 2006, 12:00 PM');
    expect(chart.steps.at(-1)!.title).toBe('Substantial: since Feb 9, 2022, 12:00 PM');
    const hovered = page.locator('svg.level-chart g.step').nth(9);
    await hovered.locator('circle').hover();
    expect(await hovered.locator('title').textContent()).toBe(
      'Critical: May 23, 2017, 12:00 PM – May 27, 2017, 12:00 PM',
    );

    // The chart is one image for assistive technology and the keyboard; the table says it all in text.
    expect(chart.focusable).toBe(0);
    expect(await page.locator('#history-heading + div tbody tr').count()).toBe(18);
    expect(chart.shownWidth).toBeCloseTo(chart.viewBoxWidth, -1);

    await page.locator('section[aria-labelledby="chart-heading"]').screenshot({
      path: join(ARTIFACTS, 'country-chart-uk-desktop.png'),
      animations: 'disabled',
    });
    await page.screenshot({
      path: join(ARTIFACTS, 'country-chart-uk-page.png'),
      fullPage: true,
      animations: 'disabled',
    });
  });

  it('redraws the chart at a phone’s width, so its labels keep their size', async () => {
    const page = await open('/country/GB', PHONE);
    await page.locator('svg.level-chart').waitFor();
    const chart = await readChart(page, 'GB', 'uk-terror');
    expect(chart.viewBoxWidth).toBeLessThan(400);
    expect(chart.shownWidth).toBeCloseTo(chart.viewBoxWidth, -1);
    expect(chart.steps).toHaveLength(18);
    expect(chart.ticks.length).toBeLessThanOrEqual(4);
    await page.locator('section[aria-labelledby="chart-heading"]').screenshot({
      path: join(ARTIFACTS, 'country-chart-uk-phone.png'),
      animations: 'disabled',
    });
  });

  it('shows the period after a level expired as no level, dashed, with the level names in Russian', async () => {
    const page = await open('/country/KZ?lang=ru');
    await page.getByRole('heading', { name: 'Уровень во времени' }).waitFor();
    const chart = await readChart(page, 'KZ', 'kz-terror');
    expect(chart.steps.map((s) => [s.from, s.level, s.color])).toEqual([
      ['2022-01-06T18:00:00.000Z', 'red', '#d32f2f'],
      ['2022-01-13T06:00:00.000Z', 'none', 'none'],
    ]);
    expect(chart.rows.map((r) => r.name)).toEqual([
      'Уровня нет',
      'умеренный («желтый»)',
      'высокий («оранжевый»)',
      'критический («красный»)',
    ]);
    expect(chart.rows[0].fill).toBe('#ffffff');
    expect(chart.steps[1].y).toBeCloseTo(chart.rows[0].y, 5);
    expect(chart.label).toMatch(
      /^Ступенчатый график: .+, Казахстан: 2 изменения с .+; сейчас — Уровня нет\./,
    );
    expect(chart.steps[0].title).toMatch(
      /^критический \(«красный»\): 6 янв\. 2022 г\., 18:00 – 13 янв\. 2022 г\., 06:00$/,
    );
    await page.locator('section[aria-labelledby="chart-heading"]').screenshot({
      path: join(ARTIFACTS, 'country-chart-kz-ru.png'),
      animations: 'disabled',
    });
  });

  it('says the chart in Kazakh, its ticks in digits where Chromium has no Kazakh dates', async () => {
    const page = await open('/country/KZ?lang=kk');
    await page.locator('figure[data-area="KZ"] svg.level-chart').waitFor();
    const chart = await readChart(page, 'KZ', 'kz-terror');
    expect(chart.label).toMatch(/^Сатылы диаграмма: .+: 2 өзгеріс/);
    expect(chart.rows.at(-1)!.name).toMatch(/қызыл/);
    for (const tick of chart.ticks) expect(tick).not.toMatch(/M\d/);
  });

  it('draws each region with a level of its own under the country, from the same first change', async () => {
    const page = await open('/country/KZ');
    await page.locator('figure[data-area="KZ-75"] svg.level-chart').waitFor();
    expect(
      await page
        .locator('[data-scheme="kz-terror"] figure')
        .evaluateAll((figures) =>
          figures.map((f) => (f as unknown as ChartElement).getAttribute('data-area')),
        ),
    ).toEqual(['KZ', 'KZ-19', 'KZ-23', 'KZ-31', 'KZ-75']);
    const almaty = await readChart(page, 'KZ-75', 'kz-terror');
    // Red from the country, then its own red, then its own orange from 00:00 on 26 January (Almaty time).
    expect(almaty.steps.map((s) => [s.from, s.level])).toEqual([
      ['2022-01-06T18:00:00.000Z', 'red'],
      ['2022-01-13T06:00:00.000Z', 'red'],
      ['2022-01-25T18:00:00.000Z', 'orange'],
    ]);
    expect(almaty.label).toMatch(
      /^Step chart of Kazakhstan terrorism threat levels in Almaty, its effective level .+: 3 changes from Jan 6, 2022, 6:00 PM to .+; now High\. The list that follows gives each step\.$/,
    );
    // No table on the page lists a region's changes: its figure does, for screen readers.
    // The first red was the country's: drawn thinner, and said.
    expect(almaty.steps.map((s) => s.countrywide)).toEqual([true, false, false]);
    expect(await page.locator('figure[data-area="KZ-75"] ol.sr-only li').allTextContents()).toEqual([
      'Critical: Jan 6, 2022, 6:00 PM – Jan 13, 2022, 6:00 AM · countrywide (KZ)',
      'Critical: Jan 13, 2022, 6:00 AM – Jan 25, 2022, 6:00 PM',
      'High: since Jan 25, 2022, 6:00 PM',
    ]);
    expect(await page.locator('figure[data-area="KZ"] ol').count()).toBe(0);
    // Atyrau's own yellow after the country's red, until further notice.
    const atyrau = await readChart(page, 'KZ-23', 'kz-terror');
    expect(atyrau.steps.map((s) => [s.from, s.level, s.color])).toEqual([
      ['2022-01-06T18:00:00.000Z', 'red', '#d32f2f'],
      ['2022-01-13T06:00:00.000Z', 'yellow', '#fbc02d'],
    ]);
    await page.locator('section[aria-labelledby="chart-heading"]').screenshot({
      path: join(ARTIFACTS, 'country-chart-kz-regions.png'),
      animations: 'disabled',
    });
  });

  it('draws no chart for a country that has never had a level', async () => {
    const page = await open('/country/FR');
    await page.getByRole('heading', { name: 'History' }).waitFor();
    expect(await page.locator('svg.level-chart').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Level over time' }).count()).toBe(0);
  });
});

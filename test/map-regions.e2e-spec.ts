// The world map draws Kazakhstan region by region (DESIGN.md §5.6): on 13 January 2022 Almaty city (KZ-75) was
// red and Astana (KZ-71) orange. Those declarations are published as in force now, and the map is read in
// Debian's Chromium (playwright-core) against the whole app on a real port. Screenshots go to test-artifacts/.
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { JANUARY_2022_STEPS, LIFTED_13_JAN } from './support/kazakhstan-2022';
import { createKey, startTestApp, TestApp } from './support/test-app';
import { ARTIFACTS, launchChromium } from './support/browser';

// A region file is a Vite asset named by its country: /assets/KZ-<hash>.json.
const REGION_FILE = /\/assets\/([A-Z]{2})-[\w-]+\.json$/;

interface SchemeLevel {
  code: string;
  color: string;
}

describe('region shapes on the world map, in Chromium', () => {
  let test: TestApp;
  let browser: Browser;
  let base: string;
  let publisher: string;
  const colours = new Map<string, string>();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    test = await startTestApp('postgres');
    await test.app.listen(0, '127.0.0.1');
    base = (await test.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();

    publisher = await createKey(test, 'publisher', 'KNB duty desk');
    // The levels of 13 January 2022, from the moment they were set then, in force from now.
    const january13 = JANUARY_2022_STEPS.filter((step) => step.effectiveAt === LIFTED_13_JAN);
    for (const { scheme, level, areas } of january13) {
      await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({
          scheme,
          level,
          areas,
          headline: `${level} for ${areas.join(', ')}`,
          summary: 'The levels of 13 January 2022.',
          authority: 'Anti-Terrorist Centre',
        })
        .expect(201);
    }
    // A country with a level of its own and none in its regions: drawn whole, its regions never fetched.
    await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send({
        scheme: 'uk-terror',
        level: 'substantial',
        areas: ['GB'],
        headline: 'SUBSTANTIAL',
        summary: 'An attack is likely.',
        authority: 'JTAC',
      })
      .expect(201);
    const scheme = await test.http.get('/v1/schemes/kz-terror').expect(200);
    for (const level of scheme.body.levels as SchemeLevel[]) colours.set(level.code, level.color);
  });
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });

  it('fills KZ-75 red and KZ-71 orange as regions, fetching region shapes for Kazakhstan alone', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      deviceScaleFactor: 2,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    const regionFiles: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      const file = REGION_FILE.exec(new URL(request.url()).pathname);
      if (file) regionFiles.push(file[1]);
    });
    await page.goto(`${base}/?lang=en`);

    const almaty = page.locator('.world-map path.region[data-code="KZ-75"]');
    const astana = page.locator('.world-map path.region[data-code="KZ-71"]');
    await almaty.waitFor({ state: 'attached', timeout: 15_000 });
    expect(await almaty.getAttribute('fill')).toBe(colours.get('red'));
    expect(await almaty.getAttribute('data-level')).toBe('red');
    expect(await astana.getAttribute('fill')).toBe(colours.get('orange'));
    expect(await astana.getAttribute('data-level')).toBe('orange');
    // The regions around them: Almaty region red too, Kostanay without a level (the country has none now).
    expect(await page.locator('path.region[data-code="KZ-19"]').getAttribute('fill')).toBe(
      colours.get('red'),
    );
    const kostanay = page.locator('path.region[data-code="KZ-39"]');
    expect(await kostanay.getAttribute('fill')).toBe('#d4d4d4');
    expect(await kostanay.getAttribute('data-level')).toBeNull();

    // Each region names itself and its level, and leads to the country's page for the pointer only.
    expect(await almaty.locator('xpath=../*[local-name()="title"]').textContent()).toMatch(
      /^Almaty: .*Critical/i,
    );
    expect(await page.locator('.country-regions[data-country="KZ"] a').first().getAttribute('href')).toBe(
      '/country/KZ',
    );
    expect(await page.locator('.regions a:not([aria-hidden="true"])').count()).toBe(0);
    // Cities too small to see at this scale carry a dot of their colour.
    expect(await almaty.locator('xpath=..').locator('circle.region-marker').getAttribute('fill')).toBe(
      colours.get('red'),
    );

    // Great Britain has a level of its own only: drawn whole, its region file never asked for.
    expect(await page.locator('path.country[data-code="GB"]').getAttribute('data-level')).toBe('substantial');
    expect(await page.locator('.country-regions[data-country="GB"]').count()).toBe(0);
    expect(regionFiles).toEqual(['KZ']);

    // The source's credit is on the page, and the list stays the text equivalent.
    expect(await page.locator('.map-credit').textContent()).toContain('Made with Natural Earth');
    expect(await page.locator('.map-credit a').getAttribute('href')).toBe(
      'https://www.naturalearthdata.com/',
    );
    expect(await page.locator('li[data-country="KZ"]').textContent()).toContain('9 regions');

    // Under its regions the country shows no stripes: they would show through where no region is.
    expect(await page.locator('path.country[data-code="KZ"]').getAttribute('fill')).toBe('#d4d4d4');

    await page.screenshot({ path: join(ARTIFACTS, 'map-regions.png'), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('names the regions in the reader’s language (and shows Kazakhstan close up)', async () => {
    // Six device pixels to a CSS pixel, so that the close-up of Kazakhstan is large enough to look at.
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      deviceScaleFactor: 6,
    });
    // Russia has 83 regions: Primorsky Krai is the 54th, so its Russian name shows the map reads the whole
    // list of areas (GET /v1/areas answers it in one page), not a first page of 50.
    await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send({
        scheme: 'travel-advisory',
        level: '2',
        areas: ['RU-PRI'],
        headline: 'Exercise increased caution in Primorsky Krai',
        summary: 'Flooding.',
        authority: 'Foreign Office',
      })
      .expect(201);
    const page = await context.newPage();
    await page.goto(`${base}/?lang=ru`);
    const kostanay = page.locator('.world-map path.region[data-code="KZ-39"]');
    await kostanay.waitFor({ state: 'attached', timeout: 15_000 });
    expect(await kostanay.locator('xpath=../*[local-name()="title"]').textContent()).toBe(
      'Костанайская область: уровень не объявлен',
    );
    const primorsky = page.locator('.world-map path.region[data-code="RU-PRI"]');
    await primorsky.waitFor({ state: 'attached', timeout: 15_000 });
    expect(await primorsky.locator('xpath=../*[local-name()="title"]').textContent()).toMatch(
      /^Приморский край: /,
    );
    expect(await page.locator('.map-credit').textContent()).toBe(
      'Границы стран и регионов: Made with Natural Earth.',
    );

    const box = await page.locator('.country-regions[data-country="KZ"]').boundingBox();
    expect(box).not.toBeNull();
    const margin = 12;
    const file = join(ARTIFACTS, 'map-regions-kazakhstan.png');
    await page.screenshot({
      path: file,
      clip: {
        x: box!.x - margin,
        y: box!.y - margin,
        width: box!.width + 2 * margin,
        height: box!.height + 2 * margin,
      },
    });
    expect(statSync(file).size).toBeGreaterThan(10_000);
    await context.close();
  });
});

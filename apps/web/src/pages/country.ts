// `/country/KZ`: a country's levels, its regions' effective levels, the declarations behind them, and history.

import {
  api,
  ApiError,
  Area,
  AreaLevels,
  Declaration,
  DeclarationMode,
  DeclarationOrigin,
  EffectiveLevel,
  inLanguage,
  knownScheme,
  LevelChange,
  listSchemes,
  Page,
} from '../api';
import { h, showPage, time } from '../dom';
import { t, tNodes } from '../i18n';
import { describeChart, levelChartFigure, Step, stepsByScheme } from '../level-chart';
import { levelChip, levelText } from '../level-chip';
import { describeMode, LiveUpdates } from '../live';
import { areaName, declarationText, schemeName } from '../localised';

export async function countryPage(code: string): Promise<void> {
  let area: Area;
  try {
    area = await api<Area>(inLanguage(`/v1/areas/${encodeURIComponent(code)}`));
  } catch (error) {
    showPage(
      t('web.notFound.title'),
      h('h1', {}, t('web.country.noSuchCountry')),
      h('p', {}, error instanceof ApiError ? error.message : t('web.country.areaFailed')),
      h('p', {}, h('a', { href: '/' }, t('web.country.backToMap'))),
    );
    return;
  }
  await listSchemes();
  const name = areaName(area);

  const liveStatus = h('p', { class: 'live-status', role: 'status' }, describeMode('connecting'));
  const levelsSection = h('section', { 'aria-labelledby': 'levels-heading' });
  const regionsSection = h('section', { 'aria-labelledby': 'regions-heading' });
  const declarationsSection = h('section', { 'aria-labelledby': 'declarations-heading' });
  // The charts have a section of their own, before the history table that is their text equivalent.
  const chartsSection = h('section', { 'aria-labelledby': 'chart-heading', hidden: true });
  const historySection = h('section', { 'aria-labelledby': 'history-heading' });

  showPage(
    name,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/' }, t('web.country.allCountries')), ' › ', name),
    h('h1', {}, t('web.area.withCode', { name, code: area.code })),
    liveStatus,
    h(
      'p',
      {},
      h(
        'a',
        { class: 'button-link', href: `/subscribe?area=${area.code}` },
        t('web.country.subscribe', { name }),
      ),
    ),
    levelsSection,
    regionsSection,
    declarationsSection,
    chartsSection,
    historySection,
  );

  let shown = '';
  const refresh = async () => {
    const levels = await api<AreaLevels>(inLanguage(`/v1/levels/${area.code}`));
    const history = await api<Page<LevelChange>>(inLanguage(`/v1/levels/${area.code}/history?limit=20`));
    // Re-render only on a change, so a reader's place (and a "show more" already opened) is kept.
    const fingerprint = JSON.stringify([levels, history.items[0]?.at ?? null]);
    if (fingerprint === shown) return;
    shown = fingerprint;
    const ids = [
      ...new Set(
        [...levels.levels, ...levels.subdivisions.flatMap((s) => s.levels)].map((l) => l.declarationId),
      ),
    ];
    // A region with a level of its own now gets a chart of its own, under the country's.
    const ownRegions = levels.subdivisions
      .filter((s) => s.levels.some((l) => l.source === s.area.code))
      .map((s) => s.area);
    const [declarations, changes, regionChanges] = await Promise.all([
      Promise.all(ids.map((id) => api<Declaration>(`/v1/declarations/${id}`))),
      history.nextCursor ? wholeHistory(area.code) : history.items,
      Promise.all(ownRegions.map((region) => wholeHistory(region.code))),
    ]);
    // Declarations name their areas in English; the levels just read name them in the pages' language.
    const names = new Map<string, string>([
      [area.code, name],
      ...levels.subdivisions.map((s) => [s.area.code, s.area.name] as [string, string]),
    ]);

    levelsSection.replaceChildren(
      h('h2', { id: 'levels-heading' }, t('web.country.currentLevel')),
      levels.levels.length
        ? h('ul', { class: 'current-levels' }, ...levels.levels.map(currentLevel))
        : h('p', {}, t('web.country.noCountrywideLevel', { name })),
    );
    regionsSection.replaceChildren(
      h('h2', { id: 'regions-heading' }, t('web.country.regions')),
      levels.subdivisions.length ? regionsTable(levels) : h('p', {}, t('web.country.noRegionLevels')),
    );
    declarationsSection.replaceChildren(
      h('h2', { id: 'declarations-heading' }, t('web.country.declarationsInForce')),
      declarations.length
        ? h(
            'div',
            { class: 'declarations' },
            ...declarations.map((d) => declarationCard(d, (a) => names.get(a.code) ?? areaName(a))),
          )
        : h('p', {}, t('web.country.noDeclarations')),
    );
    const charts = levelCharts(
      { area, name, changes },
      ownRegions.map((region, i) => ({ area: region, name: region.name, changes: regionChanges[i] })),
    );
    chartsSection.hidden = charts.length === 0;
    chartsSection.replaceChildren(h('h2', { id: 'chart-heading' }, t('web.chart.heading')), ...charts);
    historySection.replaceChildren(
      h('h2', { id: 'history-heading' }, t('web.country.history')),
      historyTable(area, name, history),
    );
  };

  new LiveUpdates(refresh, (mode) => {
    liveStatus.textContent = describeMode(mode);
    liveStatus.dataset.mode = mode;
  }).start();
}

// 200 changes a page (the API's most), 4,000 at most: decades of a busy scheme.
const HISTORY_PAGE = 200;
const HISTORY_PAGES = 20;

/** Every change of the area's level, newest first, for the charts (the table pages through them itself). */
async function wholeHistory(code: string): Promise<LevelChange[]> {
  const changes: LevelChange[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < HISTORY_PAGES; i++) {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await api<Page<LevelChange>>(
      inLanguage(`/v1/levels/${code}/history?limit=${HISTORY_PAGE}${after}`),
    );
    changes.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return changes;
}

interface AreaHistory {
  area: Area;
  name: string;
  changes: LevelChange[];
}

/**
 * Per scheme the area or one of `regions` has had a level in: the area's chart, then each region's, all from
 * the same first change to now so that they read against each other. Nothing without a history.
 */
function levelCharts(country: AreaHistory, regions: AreaHistory[]): HTMLElement[] {
  const now = Date.now();
  const own = stepsByScheme(country.changes);
  const ofRegions = regions.map((region) => ({ ...region, steps: stepsByScheme(region.changes) }));
  const schemes = [...new Set([...own.keys(), ...ofRegions.flatMap((r) => [...r.steps.keys()])])].sort();
  return schemes.map((scheme) => {
    const schemeLevels = knownScheme(scheme)?.levels ?? [];
    const firsts = [own, ...ofRegions.map((r) => r.steps)].flatMap((m) => m.get(scheme)?.[0]?.from ?? []);
    const since = Math.min(...firsts);
    const figure = (of: 'country' | 'region', history: AreaHistory, steps: Step[]) => {
      const input = { scheme, schemeLevels, steps, now, since, area: history.area.code };
      const chart = levelChartFigure(
        input,
        t('web.area.withCode', { name: history.name, code: history.area.code }),
        describeChart(input, schemeName(scheme), history.name, of),
        of === 'region',
      );
      chart.dataset.area = history.area.code;
      return chart;
    };
    const countrySteps = own.get(scheme);
    return h(
      'div',
      { class: 'level-chart-scheme', 'data-scheme': scheme },
      h('h3', {}, schemeName(scheme)),
      countrySteps
        ? figure('country', country, countrySteps)
        : h('p', {}, t('web.country.noHistoryCountry', { name: country.name })),
      ...ofRegions.flatMap((region) => {
        const steps = region.steps.get(scheme);
        return steps ? [figure('region', region, steps)] : [];
      }),
    );
  });
}

/** "until 8 Jan 2022, 09:00", or "until further notice". */
const untilNode = (iso: string | null): Node[] =>
  iso ? [h('span', {}, ...tNodes('web.time.until', { time: time(iso) }))] : [time(null)];

function currentLevel(level: EffectiveLevel): HTMLElement {
  return h(
    'li',
    { 'data-scheme': level.scheme },
    levelChip(level.level, level.scheme, 'large'),
    h(
      'div',
      {},
      h('p', { class: 'level-name' }, levelText(level.level, level.scheme)),
      h(
        'p',
        { class: 'meta' },
        schemeName(level.scheme),
        ' · ',
        ...tNodes('web.time.since', { time: time(level.since) }),
        ' · ',
        ...untilNode(level.until),
        level.source !== level.area.code
          ? ` · ${t('web.country.declaredFor', { source: level.source })}`
          : null,
      ),
    ),
  );
}

function regionsTable(levels: AreaLevels): HTMLElement {
  const rows = levels.subdivisions.flatMap((s) =>
    s.levels.map((l) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, t('web.area.withCode', { name: s.area.name, code: s.area.code })),
        h('td', {}, levelChip(l.level, l.scheme), ' ', h('span', { class: 'meta' }, schemeName(l.scheme))),
        h(
          'td',
          {},
          l.source === s.area.code
            ? t('web.country.ownDeclaration')
            : t('web.country.countrywide', { source: l.source }),
        ),
        h('td', {}, time(l.since)),
        h('td', {}, time(l.until)),
      ),
    ),
  );
  const headings = [
    t('web.country.column.region'),
    t('web.country.column.level'),
    t('web.country.column.from'),
    t('web.country.column.since'),
    t('web.country.column.until'),
  ];
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'regions-heading' },
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, t('web.country.regionsCaption')),
      h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
      h('tbody', {}, ...rows),
    ),
  );
}

const DECLARATION_STATUS: Readonly<Record<Declaration['status'], string>> = {
  pending_approval: 'web.declaration.status.pending_approval',
  rejected: 'web.declaration.status.rejected',
  scheduled: 'web.declaration.status.scheduled',
  active: 'web.declaration.status.active',
  expired: 'web.declaration.status.expired',
  cancelled: 'web.declaration.status.cancelled',
  superseded: 'web.declaration.status.superseded',
};

export const declarationStatus = (status: Declaration['status']): string =>
  DECLARATION_STATUS[status] ? t(DECLARATION_STATUS[status]) : status;

/**
 * A declaration: its text in the pages' language where it has one, else the original (in its own `lang`,
 * with a line saying so); `nameOf` names its areas.
 */
export function declarationCard(d: Declaration, nameOf: (area: Area) => string = areaName): HTMLElement {
  const text = declarationText(d);
  const mode = d.mode ?? 'actual';
  return h(
    'article',
    { class: `declaration mode-${mode}`, 'data-declaration': d.id, 'data-mode': mode },
    modeBanner(mode),
    h('h3', { lang: text.lang }, text.headline),
    text.original ? h('p', { class: 'meta original-language' }, t('web.declaration.original')) : null,
    h(
      'p',
      {},
      levelChip(d.level, d.scheme),
      ' ',
      h('span', { class: 'meta' }, schemeName(d.scheme), ' · ', declarationStatus(d.status)),
    ),
    h(
      'p',
      {},
      h('strong', {}, t('web.declaration.areas')),
      ' ',
      d.areas.map((a) => t('web.area.withCode', { name: nameOf(a), code: a.code })).join(', '),
    ),
    h(
      'p',
      {},
      h('strong', {}, t('web.declaration.valid')),
      ' ',
      ...tNodes('web.time.fromUntil', {
        from: time(d.effectiveAt),
        until: h('span', {}, ...untilNode(d.expiresAt)),
      }),
    ),
    h('p', { lang: text.lang }, text.summary),
    text.measures.length ? h('h4', {}, t('web.declaration.measures')) : null,
    text.measures.length ? h('ul', { lang: text.lang }, ...text.measures.map((m) => h('li', {}, m))) : null,
    d.status === 'rejected' && d.rejectReason
      ? h('p', { class: 'meta' }, t('web.declaration.rejectedBecause', { reason: d.rejectReason }))
      : null,
    d.origin ? viaLine(d.id, d.origin) : null,
    h(
      'p',
      { class: 'meta' },
      ...tNodes('web.declaration.declaredBy', { authority: d.authority }),
      d.sourceUrl ? ' · ' : null,
      d.sourceUrl
        ? h('a', { href: d.sourceUrl, rel: 'noopener noreferrer' }, t('web.declaration.source'))
        : null,
      ' · ',
      h('a', { href: `/v1/declarations/${d.id}/cap` }, 'CAP 1.2'),
    ),
  );
}

const MODE_BANNERS: Readonly<Record<Exclude<DeclarationMode, 'actual'>, string>> = {
  exercise: 'web.declaration.exerciseBanner',
  test: 'web.declaration.testBanner',
};

/**
 * "Exercise — no level has changed" at the top of an exercise's or a test's card, so that none is read as a
 * real level; nothing for an actual declaration. A note, not an alert: it is read with the card, in order.
 */
export function modeBanner(mode: DeclarationMode): HTMLElement | null {
  if (mode === 'actual' || !MODE_BANNERS[mode]) return null;
  return h('p', { class: 'exercise-banner', role: 'note' }, t(MODE_BANNERS[mode]));
}

/** "via <source>" for a declaration Tocsin imported, with a link to the CAP document as it was received. */
function viaLine(id: string, origin: DeclarationOrigin): HTMLElement {
  return h(
    'p',
    { class: 'meta via', 'data-source': origin.sourceId },
    ...tNodes('web.declaration.via', { source: h('strong', {}, origin.sourceName) }),
    ' · ',
    h(
      'a',
      { href: `/v1/declarations/${encodeURIComponent(id)}/origin.xml`, type: 'application/cap+xml' },
      t('web.declaration.originalDocument'),
    ),
  );
}

const CAUSES: Readonly<Record<LevelChange['cause'], string>> = {
  declared: 'web.change.cause.declared',
  expired: 'web.change.cause.expired',
  cancelled: 'web.change.cause.cancelled',
};

const DIRECTIONS: Readonly<Record<string, string>> = {
  escalated: 'web.change.direction.escalated',
  deescalated: 'web.change.direction.deescalated',
  unchanged: 'web.change.direction.unchanged',
};

export const changeDirection = (direction: string): string =>
  DIRECTIONS[direction] ? t(DIRECTIONS[direction]) : direction;

function historyTable(area: Area, name: string, first: Page<LevelChange>): Node {
  if (!first.items.length) {
    return h(
      'p',
      {},
      area.type === 'country'
        ? t('web.country.noHistoryCountry', { name })
        : t('web.country.noHistoryArea', { name }),
    );
  }
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary' }, t('web.country.olderChanges'));
  let cursor = first.nextCursor;
  const add = (items: LevelChange[]) => {
    for (const change of items) {
      body.append(
        h(
          'tr',
          {},
          h('td', {}, time(change.at)),
          h('td', {}, schemeName(change.scheme)),
          h(
            'td',
            {},
            change.previous ? levelChip(change.previous, change.scheme) : t('web.change.none'),
            ' → ',
            change.current ? levelChip(change.current, change.scheme) : t('web.change.none'),
          ),
          h(
            'td',
            {},
            t('web.change.causeAndDirection', {
              cause: CAUSES[change.cause] ? t(CAUSES[change.cause]) : change.cause,
              direction: changeDirection(change.direction),
            }),
          ),
          h('td', {}, change.by ?? '—'),
        ),
      );
    }
    more.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    if (!cursor) return;
    const next = await api<Page<LevelChange>>(
      inLanguage(`/v1/levels/${area.code}/history?limit=20&cursor=${encodeURIComponent(cursor)}`),
    );
    cursor = next.nextCursor;
    add(next.items);
  });
  add(first.items);
  const headings = [
    t('web.country.column.when'),
    t('web.country.column.scheme'),
    t('web.country.column.change'),
    t('web.country.column.cause'),
    t('web.country.column.by'),
  ];
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'history-heading' },
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, t('web.country.historyCaption', { name })),
        h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
        body,
      ),
    ),
    more,
  );
}

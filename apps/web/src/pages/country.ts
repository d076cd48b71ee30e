// `/country/KZ`: a country's levels, its regions' effective levels, the declarations behind them, and history.

import {
  api,
  ApiError,
  Area,
  AreaLevels,
  Declaration,
  EffectiveLevel,
  LevelChange,
  listSchemes,
  Page,
} from '../api';
import { h, showPage, time } from '../dom';
import { levelChip, levelText } from '../level-chip';
import { describeMode, LiveUpdates } from '../live';

export async function countryPage(code: string): Promise<void> {
  let area: Area;
  try {
    area = await api<Area>(`/v1/areas/${encodeURIComponent(code)}`);
  } catch (error) {
    showPage(
      'Not found',
      h('h1', {}, 'No such country'),
      h('p', {}, error instanceof ApiError ? error.message : 'The area could not be loaded.'),
      h('p', {}, h('a', { href: '/' }, 'Back to the map')),
    );
    return;
  }
  const schemes = new Map((await listSchemes()).map((s) => [s.id, s]));
  const schemeName = (id: string) => schemes.get(id)?.name ?? id;

  const liveStatus = h('p', { class: 'live-status', role: 'status' }, describeMode('connecting'));
  const levelsSection = h('section', { 'aria-labelledby': 'levels-heading' });
  const regionsSection = h('section', { 'aria-labelledby': 'regions-heading' });
  const declarationsSection = h('section', { 'aria-labelledby': 'declarations-heading' });
  const historySection = h('section', { 'aria-labelledby': 'history-heading' });

  showPage(
    area.name,
    h('p', { class: 'breadcrumb' }, h('a', { href: '/' }, 'All countries'), ' › ', area.name),
    h('h1', {}, `${area.name} (${area.code})`),
    liveStatus,
    h(
      'p',
      {},
      h(
        'a',
        { class: 'button-link', href: `/subscribe?area=${area.code}` },
        `Get email alerts for ${area.name}`,
      ),
    ),
    levelsSection,
    regionsSection,
    declarationsSection,
    historySection,
  );

  let shown = '';
  const refresh = async () => {
    const levels = await api<AreaLevels>(`/v1/levels/${area.code}`);
    const history = await api<Page<LevelChange>>(`/v1/levels/${area.code}/history?limit=20`);
    // Re-render only on a change, so a reader's place (and a "show more" already opened) is kept.
    const fingerprint = JSON.stringify([levels, history.items[0]?.at ?? null]);
    if (fingerprint === shown) return;
    shown = fingerprint;
    const ids = [
      ...new Set(
        [...levels.levels, ...levels.subdivisions.flatMap((s) => s.levels)].map((l) => l.declarationId),
      ),
    ];
    const declarations = await Promise.all(ids.map((id) => api<Declaration>(`/v1/declarations/${id}`)));

    levelsSection.replaceChildren(
      h('h2', { id: 'levels-heading' }, 'Current level'),
      levels.levels.length
        ? h('ul', { class: 'current-levels' }, ...levels.levels.map((l) => currentLevel(l, schemeName)))
        : h('p', {}, `No countrywide level is declared for ${area.name}.`),
    );
    regionsSection.replaceChildren(
      h('h2', { id: 'regions-heading' }, 'Regions'),
      levels.subdivisions.length
        ? regionsTable(levels, schemeName)
        : h('p', {}, 'No region has a level of its own; a countrywide level applies to every region.'),
    );
    declarationsSection.replaceChildren(
      h('h2', { id: 'declarations-heading' }, 'Declarations in force'),
      declarations.length
        ? h('div', { class: 'declarations' }, ...declarations.map((d) => declarationCard(d, schemeName)))
        : h('p', {}, 'None.'),
    );
    historySection.replaceChildren(
      h('h2', { id: 'history-heading' }, 'History'),
      historyTable(area, history, schemeName),
    );
  };

  new LiveUpdates(refresh, (mode) => {
    liveStatus.textContent = describeMode(mode);
    liveStatus.dataset.mode = mode;
  }).start();
}

function currentLevel(level: EffectiveLevel, schemeName: (id: string) => string): HTMLElement {
  return h(
    'li',
    { 'data-scheme': level.scheme },
    levelChip(level.level, 'large'),
    h(
      'div',
      {},
      h('p', { class: 'level-name' }, levelText(level.level)),
      h(
        'p',
        { class: 'meta' },
        schemeName(level.scheme),
        ' · since ',
        time(level.since),
        ' · ',
        level.until ? h('span', {}, 'until ', time(level.until)) : 'until further notice',
        level.source !== level.area.code ? ` · declared for ${level.source}` : null,
      ),
    ),
  );
}

function regionsTable(levels: AreaLevels, schemeName: (id: string) => string): HTMLElement {
  const rows = levels.subdivisions.flatMap((s) =>
    s.levels.map((l) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, `${s.area.name} (${s.area.code})`),
        h('td', {}, levelChip(l.level), ' ', h('span', { class: 'meta' }, schemeName(l.scheme))),
        h('td', {}, l.source === s.area.code ? 'its own declaration' : `countrywide (${l.source})`),
        h('td', {}, time(l.since)),
        h('td', {}, time(l.until)),
      ),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'regions-heading' },
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, 'Effective level of each region with a level of its own'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Region', 'Effective level', 'From', 'Since', 'Until'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

export function declarationCard(d: Declaration, schemeName: (id: string) => string): HTMLElement {
  return h(
    'article',
    { class: 'declaration', 'data-declaration': d.id },
    h('h3', {}, d.headline),
    h('p', {}, levelChip(d.level), ' ', h('span', { class: 'meta' }, schemeName(d.scheme), ' · ', d.status)),
    h('p', {}, h('strong', {}, 'Areas: '), d.areas.map((a) => `${a.name} (${a.code})`).join(', ')),
    h(
      'p',
      {},
      h('strong', {}, 'Valid: '),
      'from ',
      time(d.effectiveAt),
      ', ',
      d.expiresAt ? h('span', {}, 'until ', time(d.expiresAt)) : 'until further notice',
    ),
    h('p', {}, d.summary),
    d.measures.length ? h('h4', {}, 'Measures') : null,
    d.measures.length ? h('ul', {}, ...d.measures.map((m) => h('li', {}, m))) : null,
    h(
      'p',
      { class: 'meta' },
      'Declared by ',
      d.authority,
      d.sourceUrl ? ' · ' : null,
      d.sourceUrl ? h('a', { href: d.sourceUrl, rel: 'noopener noreferrer' }, 'source') : null,
      ' · ',
      h('a', { href: `/v1/declarations/${d.id}/cap` }, 'CAP 1.2'),
    ),
  );
}

function historyTable(area: Area, first: Page<LevelChange>, schemeName: (id: string) => string): Node {
  if (!first.items.length) {
    return h(
      'p',
      {},
      area.type === 'country'
        ? `No countrywide level has been declared for ${area.name} yet.`
        : `No level has been declared for ${area.name} yet.`,
    );
  }
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary' }, 'Show older changes');
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
            change.previous ? levelChip(change.previous) : 'none',
            ' → ',
            change.current ? levelChip(change.current) : 'none',
          ),
          h('td', {}, `${change.cause}, ${change.direction}`),
          h('td', {}, change.by ?? '—'),
        ),
      );
    }
    more.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    if (!cursor) return;
    const next = await api<Page<LevelChange>>(
      `/v1/levels/${area.code}/history?limit=20&cursor=${encodeURIComponent(cursor)}`,
    );
    cursor = next.nextCursor;
    add(next.items);
  });
  add(first.items);
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-labelledby': 'history-heading' },
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, `Every change of the level of ${area.name}, newest first`),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['When', 'Scheme', 'Change', 'Cause', 'By'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        body,
      ),
    ),
    more,
  );
}

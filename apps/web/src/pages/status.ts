// `/`: the world map of current levels, its legend, and the same information as a list.

import { api, EffectiveLevel, listCountries, listSchemes, Page, Scheme } from '../api';
import { levelColor } from '../contrast';
import { CountryLevel, countryLevels, describeCountryLevel } from '../country-levels';
import { h, showPage, time } from '../dom';
import { levelChip } from '../level-chip';
import { describeMode, LiveUpdates } from '../live';
import { NO_LEVEL_FILL, swatch, WorldMap } from '../world-map';

export async function statusPage(): Promise<void> {
  const [countries, schemes] = await Promise.all([listCountries(), listSchemes()]);
  const names = new Map(countries.map((c) => [c.code, c.name]));
  const defaultSchemes = new Map(countries.map((c) => [c.code, c.defaultScheme ?? '']));
  const schemeById = new Map(schemes.map((s) => [s.id, s]));
  const schemeName = (id: string) => schemeById.get(id)?.name ?? id;

  const liveStatus = h('p', { class: 'live-status', role: 'status' }, describeMode('connecting'));
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite' });
  const legend = h('div', { class: 'legend' });
  const list = h('div', { class: 'level-list-body' });
  const mapHolder = h('div', { class: 'map-holder' }, h('p', {}, 'Loading the map…'));

  showPage(
    'Threat levels',
    h('h1', {}, 'Threat levels now'),
    liveStatus,
    h(
      'div',
      { class: 'status-layout' },
      h(
        'section',
        { class: 'map-section', 'aria-labelledby': 'map-heading' },
        h('h2', { id: 'map-heading', class: 'sr-only' }, 'Map'),
        mapHolder,
        legend,
      ),
      h(
        'section',
        { class: 'level-list', 'aria-labelledby': 'list-heading' },
        h('h2', { id: 'list-heading' }, 'Countries with a declared level'),
        list,
      ),
    ),
    announcer,
  );

  let map: WorldMap | null = null;
  let current: Map<string, CountryLevel> | null = null;
  WorldMap.load(names).then(
    (loaded) => {
      map = loaded;
      mapHolder.replaceChildren(loaded.element);
      if (current) draw(current);
    },
    () => mapHolder.replaceChildren(h('p', {}, 'The map could not be loaded; the list has every level.')),
  );

  const describe = (code: string) =>
    describeCountryLevel(
      names.get(code) ?? code,
      current?.get(code),
      schemeName(current?.get(code)?.scheme ?? ''),
    );

  const draw = (levels: Map<string, CountryLevel>) => {
    map?.update(levels, describe);
    legend.replaceChildren(renderLegend(levels, schemeById));
    list.replaceChildren(renderList(levels, names, schemeById));
  };

  const live = new LiveUpdates(
    async () => {
      const page = await api<Page<EffectiveLevel>>('/v1/levels');
      const next = countryLevels(page.items, defaultSchemes);
      if (current) announceChanges(current, next, names, announcer);
      current = next;
      draw(next);
    },
    (mode) => {
      liveStatus.textContent = describeMode(mode);
      liveStatus.dataset.mode = mode;
    },
  );
  live.start();
}

/** Tells screen-reader users what changed, politely, without moving their focus. */
function announceChanges(
  before: Map<string, CountryLevel>,
  after: Map<string, CountryLevel>,
  names: Map<string, string>,
  announcer: HTMLElement,
): void {
  const messages: string[] = [];
  for (const code of new Set([...before.keys(), ...after.keys()])) {
    const [was, now] = [before.get(code), after.get(code)];
    if (was?.level.code === now?.level.code && was?.scheme === now?.scheme && was?.partial === now?.partial)
      continue;
    const name = names.get(code) ?? code;
    messages.push(
      now
        ? `${name} is now ${now.level.name}${now.partial ? ' in some regions' : ''}.`
        : `${name} has no level now.`,
    );
  }
  if (messages.length) announcer.textContent = messages.join(' ');
}

const severity = (entry: CountryLevel, schemes: Map<string, Scheme>) =>
  entry.level.rank / Math.max(1, schemes.get(entry.scheme)?.levels.length ?? entry.level.rank);

function renderList(
  levels: Map<string, CountryLevel>,
  names: Map<string, string>,
  schemes: Map<string, Scheme>,
): Node {
  if (!levels.size) return h('p', {}, 'No country has a declared level right now.');
  const entries = [...levels.values()].sort(
    (a, b) =>
      severity(b, schemes) - severity(a, schemes) ||
      (names.get(a.country) ?? a.country).localeCompare(names.get(b.country) ?? b.country),
  );
  return h(
    'ul',
    { class: 'levels' },
    ...entries.map((entry) =>
      h(
        'li',
        { 'data-country': entry.country },
        h(
          'a',
          { class: 'country-link', href: `/country/${entry.country}` },
          names.get(entry.country) ?? entry.country,
        ),
        h(
          'span',
          { class: 'level-line' },
          levelChip(entry.level),
          entry.partial
            ? h('span', {}, ` in ${entry.subdivisions} ${entry.subdivisions === 1 ? 'region' : 'regions'}`)
            : null,
        ),
        h(
          'span',
          { class: 'meta' },
          schemes.get(entry.scheme)?.name ?? entry.scheme,
          ' · since ',
          time(entry.since),
        ),
      ),
    ),
  );
}

function renderLegend(levels: Map<string, CountryLevel>, schemes: Map<string, Scheme>): Node {
  const used = [...new Set([...levels.values()].map((e) => e.scheme))].sort();
  const anyPartial = [...levels.values()].some((e) => e.partial);
  return h(
    'div',
    {},
    h('h3', { class: 'legend-title' }, 'Legend'),
    ...used.map((id) => {
      const scheme = schemes.get(id);
      return h(
        'div',
        { class: 'legend-scheme' },
        h('p', { class: 'legend-scheme-name' }, scheme?.name ?? id),
        h(
          'ul',
          { class: 'legend-items' },
          ...(scheme?.levels ?? []).map((level) =>
            h('li', {}, swatch(levelColor(level.color)), ` ${level.name}`),
          ),
        ),
      );
    }),
    h(
      'ul',
      { class: 'legend-items' },
      h('li', {}, swatch(NO_LEVEL_FILL), ' No level declared'),
      anyPartial ? h('li', {}, swatch('#616161', true), ' Striped: a level in some regions only') : null,
    ),
  );
}

// `/`: the world map of current levels, its legend, and the same information as a list.

import { api, EffectiveLevel, inLanguage, listCountries, listSchemes, Page, Scheme } from '../api';
import { levelColor } from '../contrast';
import { CountryLevel, countryLevels, describeCountryLevel } from '../country-levels';
import { h, showPage, time } from '../dom';
import { compareNames, t, tNodes } from '../i18n';
import { levelChip, levelText } from '../level-chip';
import { areaName, levelName, schemeName as nameOfScheme } from '../localised';
import { describeMode, LiveUpdates } from '../live';
import { RegionalLevels, regionalLevels } from '../region-levels';
import { hasRegionShapes } from '../region-shapes';
import { NO_LEVEL_FILL, swatch, WorldMap } from '../world-map';

export async function statusPage(): Promise<void> {
  const [countries, schemes] = await Promise.all([listCountries(), listSchemes()]);
  const names = new Map(countries.map((c) => [c.code, areaName(c)]));
  const defaultSchemes = new Map(countries.map((c) => [c.code, c.defaultScheme ?? '']));
  const schemeById = new Map(schemes.map((s) => [s.id, s]));
  const schemeName = (id: string) => nameOfScheme(id);

  const liveStatus = h('p', { class: 'live-status', role: 'status' }, describeMode('connecting'));
  const announcer = h('div', { class: 'sr-only', 'aria-live': 'polite' });
  const legend = h('div', { class: 'legend' });
  const list = h('div', { class: 'level-list-body' });
  const mapHolder = h('div', { class: 'map-holder' }, h('p', {}, t('web.status.loadingMap')));

  showPage(
    t('web.status.title'),
    h('h1', {}, t('web.status.heading')),
    liveStatus,
    h(
      'div',
      { class: 'status-layout' },
      h(
        'section',
        { class: 'map-section', 'aria-labelledby': 'map-heading' },
        h('h2', { id: 'map-heading', class: 'sr-only' }, t('web.status.mapHeading')),
        mapHolder,
        legend,
        h(
          'p',
          { class: 'map-credit' },
          ...tNodes('web.map.credit', {
            link: h('a', { href: 'https://www.naturalearthdata.com/' }, 'Made with Natural Earth'),
          }),
        ),
      ),
      h(
        'section',
        { class: 'level-list', 'aria-labelledby': 'list-heading' },
        h('h2', { id: 'list-heading' }, t('web.status.listHeading')),
        list,
      ),
    ),
    announcer,
  );

  let map: WorldMap | null = null;
  let current: Map<string, CountryLevel> | null = null;
  let regional: RegionalLevels = new Map();
  WorldMap.load(names).then(
    (loaded) => {
      map = loaded;
      mapHolder.replaceChildren(loaded.element);
      if (current) draw(current);
    },
    () => mapHolder.replaceChildren(h('p', {}, t('web.status.mapFailed'))),
  );

  const describe = (code: string) =>
    describeCountryLevel(
      names.get(code) ?? code,
      current?.get(code),
      schemeName(current?.get(code)?.scheme ?? ''),
    );

  const draw = (levels: Map<string, CountryLevel>) => {
    map?.update(levels, describe);
    // A region file that fails to load leaves its country drawn whole; the list still has every level.
    map
      ?.updateRegions(regional, levels, (shape, fill) =>
        fill
          ? t('web.map.level', {
              name: shape.name,
              level: levelText(fill.level, fill.scheme),
              scheme: schemeName(fill.scheme),
            })
          : t('web.map.noLevel', { name: shape.name }),
      )
      .catch(() => undefined);
    legend.replaceChildren(renderLegend(levels, schemeById));
    list.replaceChildren(renderList(levels, names, schemeById));
  };

  const live = new LiveUpdates(
    async () => {
      const page = await api<Page<EffectiveLevel>>(inLanguage('/v1/levels'));
      const next = countryLevels(page.items, defaultSchemes);
      if (current) announceChanges(current, next, names, announcer);
      current = next;
      regional = regionalLevels(page.items, defaultSchemes);
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
        ? t(now.partial ? 'web.status.announceInSomeRegions' : 'web.status.announce', {
            name,
            level: levelText(now.level, now.scheme),
          })
        : t('web.status.announceNone', { name }),
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
  if (!levels.size) return h('p', {}, t('web.status.none'));
  const entries = [...levels.values()].sort(
    (a, b) =>
      severity(b, schemes) - severity(a, schemes) ||
      compareNames(names.get(a.country) ?? a.country, names.get(b.country) ?? b.country),
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
          levelChip(entry.level, entry.scheme),
          entry.partial
            ? h('span', {}, ' ', t('web.status.inRegions', { regions: entry.subdivisions }))
            : null,
        ),
        h(
          'span',
          { class: 'meta' },
          nameOfScheme(entry.scheme),
          ' · ',
          ...tNodes('web.time.since', { time: time(entry.since) }),
        ),
      ),
    ),
  );
}

function renderLegend(levels: Map<string, CountryLevel>, schemes: Map<string, Scheme>): Node {
  const used = [...new Set([...levels.values()].map((e) => e.scheme))].sort();
  // A country drawn region by region shows no stripes; one without region shapes still does.
  const anyPartial = [...levels.values()].some((e) => e.partial && !hasRegionShapes(e.country));
  return h(
    'div',
    {},
    h('h3', { class: 'legend-title' }, t('web.status.legend')),
    ...used.map((id) => {
      const scheme = schemes.get(id);
      return h(
        'div',
        { class: 'legend-scheme' },
        h('p', { class: 'legend-scheme-name' }, nameOfScheme(scheme ?? id)),
        h(
          'ul',
          { class: 'legend-items' },
          ...(scheme?.levels ?? []).map((level) =>
            h('li', {}, swatch(levelColor(level.color)), ' ', levelName(level, id)),
          ),
        ),
      );
    }),
    h(
      'ul',
      { class: 'legend-items' },
      h('li', {}, swatch(NO_LEVEL_FILL), ' ', t('web.status.legendNoLevel')),
      anyPartial ? h('li', {}, swatch('#616161', true), ' ', t('web.status.legendStriped')) : null,
    ),
  );
}

// The world map: country shapes from world-atlas (Natural Earth, 1:110m), drawn with d3-geo as SVG, served
// with the pages. Countries with a level are links to their page; the list beside the map says the same in text.

import { geoEqualEarth, geoPath } from 'd3-geo';
import { iso31661NumericToAlpha2 } from 'iso-3166/1-n-to-1-a2.js';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import worldUrl from 'world-atlas/countries-110m.json?url';
import { levelColor } from './contrast';
import type { CountryLevel } from './country-levels';
import { svg } from './dom';
import { compareNames, t } from './i18n';

const WIDTH = 960;
const HEIGHT = 440;
export const NO_LEVEL_FILL = '#d4d4d4';
const PARTIAL_BACKGROUND = '#ececec';

interface Shape {
  code: string;
  name: string;
  d: string;
}

async function loadShapes(): Promise<Shape[]> {
  const response = await fetch(worldUrl);
  if (!response.ok) throw new Error(`the map data answered ${response.status}`);
  const topology = (await response.json()) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const countries = feature(topology, topology.objects.countries).features.filter(
    (f) => f.id !== '010', // Antarctica: no levels, and it would take a fifth of the map
  );
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [WIDTH - 4, HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features: countries },
  );
  const path = geoPath(projection);
  return countries
    .map((f) => ({
      code: iso31661NumericToAlpha2[String(f.id) as keyof typeof iso31661NumericToAlpha2] ?? '',
      name: f.properties?.name ?? '',
      d: path(f) ?? '',
    }))
    .filter((s) => s.d);
}

export class WorldMap {
  readonly element: SVGSVGElement;
  private readonly defs: SVGDefsElement;
  private readonly countries = new Map<
    string,
    { link: SVGAElement; path: SVGPathElement; title: SVGTitleElement }
  >();

  private constructor(shapes: Shape[], names: ReadonlyMap<string, string>) {
    this.defs = svg('defs');
    const group = svg('g', { class: 'countries' });
    // Sorted by name, so keyboard focus moves through the linked countries alphabetically.
    const sorted = [...shapes].sort((a, b) =>
      compareNames(names.get(a.code) ?? a.name, names.get(b.code) ?? b.name),
    );
    for (const shape of sorted) {
      const title = svg('title', {}, names.get(shape.code) ?? shape.name);
      const path = svg(
        'path',
        { d: shape.d, class: 'country', fill: NO_LEVEL_FILL, 'data-code': shape.code || null },
        title,
      );
      const link = svg('a', { 'aria-hidden': 'true' }, path);
      group.append(link);
      if (shape.code && !this.countries.has(shape.code))
        this.countries.set(shape.code, { link, path, title });
    }
    this.element = svg(
      'svg',
      {
        viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
        class: 'world-map',
        role: 'group',
        'aria-label': t('web.map.label'),
      },
      this.defs,
      svg('rect', { class: 'ocean', width: WIDTH, height: HEIGHT, rx: 8 }),
      group,
    );
  }

  static async load(names: ReadonlyMap<string, string>): Promise<WorldMap> {
    return new WorldMap(await loadShapes(), names);
  }

  /** Colours every country by its entry; those with a level become links with a spoken description. */
  update(levels: ReadonlyMap<string, CountryLevel>, describe: (code: string) => string): void {
    for (const [code, { link, path, title }] of this.countries) {
      const entry = levels.get(code);
      const label = describe(code);
      title.textContent = label;
      if (!entry) {
        path.setAttribute('fill', NO_LEVEL_FILL);
        path.removeAttribute('data-level');
        path.removeAttribute('data-partial');
        link.removeAttribute('href');
        link.removeAttribute('aria-label');
        link.setAttribute('aria-hidden', 'true');
        continue;
      }
      const color = levelColor(entry.level.color);
      path.setAttribute('fill', entry.partial ? `url(#${this.partialPattern(color)})` : color);
      path.setAttribute('data-level', entry.level.code);
      path.setAttribute('data-scheme', entry.scheme);
      path.toggleAttribute('data-partial', entry.partial);
      link.setAttribute('href', `/country/${code}`);
      link.setAttribute('aria-label', label);
      link.removeAttribute('aria-hidden');
    }
  }

  /** Stripes of the level's colour: a level declared for some regions of the country only. */
  private partialPattern(color: string): string {
    const id = `partial-${color.replace('#', '')}`;
    if (!this.defs.querySelector(`#${id}`)) {
      this.defs.append(
        svg(
          'pattern',
          { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
          svg('rect', { width: 6, height: 6, fill: PARTIAL_BACKGROUND }),
          svg('rect', { width: 3, height: 6, fill: color }),
        ),
      );
    }
    return id;
  }
}

/** A small swatch of the map's fill for a legend: a level's colour, striped for "only in some regions". */
let swatches = 0;
export function swatch(color: string, partial = false): SVGSVGElement {
  const id = `swatch-${++swatches}`;
  return svg(
    'svg',
    { class: 'swatch', viewBox: '0 0 18 18', width: 18, height: 18, 'aria-hidden': 'true' },
    partial
      ? svg(
          'defs',
          {},
          svg(
            'pattern',
            { id, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
            svg('rect', { width: 6, height: 6, fill: PARTIAL_BACKGROUND }),
            svg('rect', { width: 3, height: 6, fill: color }),
          ),
        )
      : null,
    svg('rect', { width: 18, height: 18, rx: 3, fill: partial ? `url(#${id})` : color, class: 'swatch-box' }),
  );
}

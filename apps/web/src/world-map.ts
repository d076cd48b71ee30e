// The world map: country shapes from world-atlas (Natural Earth, 1:110m), drawn with d3-geo as SVG, served
// with the pages. Countries with a level are links to their page; the list beside the map says the same in text.
// A country where a region has a level of its own is drawn region by region over its shape (Natural Earth
// admin-1, region-shapes.ts), each region in its level's colour.

import { geoEqualEarth, geoPath, GeoPath } from 'd3-geo';
import { iso31661NumericToAlpha2 } from 'iso-3166/1-n-to-1-a2.js';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import worldUrl from 'world-atlas/countries-110m.json?url';
import { levelColor } from './contrast';
import type { CountryLevel } from './country-levels';
import { svg } from './dom';
import { compareNames, t } from './i18n';
import { RegionalLevels, RegionFill, regionFill } from './region-levels';
import { hasRegionShapes, RegionShape, regionShapes } from './region-shapes';

const WIDTH = 960;
const HEIGHT = 440;
export const NO_LEVEL_FILL = '#d4d4d4';
const PARTIAL_BACKGROUND = '#ececec';
/** A region smaller than this on the map (a city: Almaty, Astana) also gets a dot, so that its colour shows. */
const MARKER_BELOW_PX = 4;
const MARKER_RADIUS = 2.5;

interface DrawnRegion {
  shape: RegionShape;
  path: SVGPathElement;
  marker: SVGCircleElement | null;
  title: SVGTitleElement;
}

/** The map's reading of one region, for its tooltip. */
export type DescribeRegion = (shape: RegionShape, fill: RegionFill | null) => string;

interface Shape {
  code: string;
  name: string;
  d: string;
}

async function loadShapes(): Promise<{ shapes: Shape[]; path: GeoPath }> {
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
  const shapes = countries
    .map((f) => ({
      code: iso31661NumericToAlpha2[String(f.id) as keyof typeof iso31661NumericToAlpha2] ?? '',
      name: f.properties?.name ?? '',
      d: path(f) ?? '',
    }))
    .filter((s) => s.d);
  return { shapes, path };
}

export class WorldMap {
  readonly element: SVGSVGElement;
  private readonly defs: SVGDefsElement;
  private readonly countries = new Map<
    string,
    { link: SVGAElement; path: SVGPathElement; title: SVGTitleElement }
  >();

  private readonly regionLayer: SVGGElement;
  private readonly regions = new Map<string, { group: SVGGElement; drawn: DrawnRegion[] }>();
  private regional: RegionalLevels = new Map();
  private countryLevels: ReadonlyMap<string, CountryLevel> = new Map();
  private describeRegion: DescribeRegion = (shape) => shape.name;

  private constructor(
    shapes: Shape[],
    names: ReadonlyMap<string, string>,
    private readonly path: GeoPath,
  ) {
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
    this.regionLayer = svg('g', { class: 'regions' });
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
      this.regionLayer,
    );
  }

  static async load(names: ReadonlyMap<string, string>): Promise<WorldMap> {
    const { shapes, path } = await loadShapes();
    return new WorldMap(shapes, names, path);
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

  /**
   * Draws, over their country, the regions of every country in `regional` (the countries where a region has a
   * level of its own; their shapes are fetched the first time), each in its level's colour, and takes away the
   * regions of the others. Resolves when the shapes are drawn.
   */
  async updateRegions(
    regional: RegionalLevels,
    countries: ReadonlyMap<string, CountryLevel>,
    describe: DescribeRegion,
  ): Promise<void> {
    [this.regional, this.countryLevels, this.describeRegion] = [regional, countries, describe];
    for (const [country, { group }] of this.regions) {
      if (!regional.has(country)) {
        group.remove();
        this.regions.delete(country);
      }
    }
    const wanted = [...regional.keys()].filter(hasRegionShapes);
    await Promise.all(
      wanted.map(async (country) => {
        if (!this.regions.has(country)) {
          const shapes = await regionShapes(country);
          // The levels may have moved on while the shapes loaded.
          if (!this.regional.has(country) || this.regions.has(country)) return;
          this.regions.set(country, this.drawRegions(country, shapes));
        }
        this.colourRegions(country);
      }),
    );
  }

  private drawRegions(country: string, shapes: RegionShape[]): { group: SVGGElement; drawn: DrawnRegion[] } {
    const group = svg('g', { class: 'country-regions', 'data-country': country });
    // Larger regions first, so that a city lying within a region is drawn over it.
    const sized = shapes
      .map((shape) => ({ shape, d: this.path(shape.geometry) ?? '', area: this.path.area(shape.geometry) }))
      .filter(({ d }) => d)
      .sort((a, b) => b.area - a.area);
    const drawn = sized.map(({ shape, d }) => {
      const title = svg('title', {}, shape.name);
      const path = svg('path', { d, class: 'region', fill: NO_LEVEL_FILL, 'data-code': shape.code });
      const [[x0, y0], [x1, y1]] = this.path.bounds(shape.geometry);
      const [cx, cy] = this.path.centroid(shape.geometry);
      const marker =
        Math.max(x1 - x0, y1 - y0) < MARKER_BELOW_PX && Number.isFinite(cx)
          ? svg('circle', { cx, cy, r: MARKER_RADIUS, class: 'region-marker', fill: NO_LEVEL_FILL })
          : null;
      // The country's link and the list speak for the regions: a region is a link for the pointer only. Its
      // title is the link's, so that the dot of a city has it too.
      group.append(
        svg('a', { href: `/country/${country}`, 'aria-hidden': 'true', tabindex: '-1' }, title, path, marker),
      );
      return { shape, path, marker, title };
    });
    this.regionLayer.append(group);
    return { group, drawn };
  }

  private colourRegions(country: string): void {
    const regions = this.regional.get(country);
    const countryLevel = this.countryLevels.get(country);
    // The regions speak for a country without a level of its own: its stripes would show through the gaps
    // between them (Baikonur, which no region has).
    const under = this.countries.get(country)?.path;
    if (under && countryLevel?.partial) under.setAttribute('fill', NO_LEVEL_FILL);
    for (const { shape, path, marker, title } of this.regions.get(country)?.drawn ?? []) {
      const fill = regionFill(shape, regions, countryLevel);
      const color = fill ? levelColor(fill.level.color) : NO_LEVEL_FILL;
      for (const element of [path, marker]) {
        element?.setAttribute('fill', color);
        if (fill) element?.setAttribute('data-level', fill.level.code);
        else element?.removeAttribute('data-level');
      }
      title.textContent = this.describeRegion(shape, fill);
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

// A country's ISO 3166-2 region shapes for the world map: apps/web/src/regions/<CC>.json, generated from Natural
// Earth (scripts/generate-region-shapes.mjs). Each file is an asset of its own, fetched only for a country the map
// draws region by region, once per page; the regions' names come from the API in the pages' language.

import type { MultiPolygon } from 'geojson';
import { api, Area, inLanguage, Page } from './api';

export interface RegionFile {
  source: string;
  /** Coordinates are integers: degrees times `grid`. */
  grid: number;
  regions: { code: string; name: string; within?: string; polygons: number[][][][] }[];
}

export interface RegionShape {
  code: string;
  /** In the pages' language where the API has it, else English. */
  name: string;
  /** The larger region this one lies within (a French département's région). */
  within?: string;
  geometry: MultiPolygon;
}

// Vite gives each file a hashed URL (served as immutable) and keeps it out of the script.
const FILES = import.meta.glob<string>('./regions/*.json', { query: '?url', import: 'default', eager: true });
const urlOf = (country: string): string | undefined => FILES[`./regions/${country}.json`];

/** Whether the snapshot has region shapes for this country. */
export const hasRegionShapes = (country: string): boolean => urlOf(country) !== undefined;

const loaded = new Map<string, Promise<RegionShape[]>>();

/** The country's region shapes, fetched the first time they are asked for. */
export function regionShapes(country: string): Promise<RegionShape[]> {
  let shapes = loaded.get(country);
  if (!shapes) {
    shapes = load(country);
    // A failed load is tried again at the next update rather than remembered.
    shapes.catch(() => loaded.delete(country));
    loaded.set(country, shapes);
  }
  return shapes;
}

async function load(country: string): Promise<RegionShape[]> {
  const url = urlOf(country);
  if (!url) return [];
  const [file, names] = await Promise.all([
    fetch(url).then((response) => {
      if (!response.ok) throw new Error(`the region shapes answered ${response.status}`);
      return response.json() as Promise<RegionFile>;
    }),
    // The names are a nicety: without them the shapes keep their English names.
    api<Page<Area>>(inLanguage(`/v1/areas?country=${country}&type=subdivision`)).then(
      (page) => new Map(page.items.map((area) => [area.code, area.name])),
      () => new Map<string, string>(),
    ),
  ]);
  return file.regions.map((region) => ({
    code: region.code,
    name: names.get(region.code) ?? region.name,
    within: region.within,
    geometry: {
      type: 'MultiPolygon',
      coordinates: region.polygons.map((polygon) =>
        polygon.map((ring) => {
          const points = ring.map(([x, y]) => [x / file.grid, y / file.grid]);
          return [...points, points[0]];
        }),
      ),
    },
  }));
}

// The generated region shapes (scripts/generate-region-shapes.mjs): Tocsin's codes, small files, rings d3-geo
// reads the right way round.

import areas from '../../../libs/areas/src/areas.data.json';
import type { RegionFile } from './region-shapes';
import CN from './regions/CN.json';
import FR from './regions/FR.json';
import GB from './regions/GB.json';
import KZ from './regions/KZ.json';
import RU from './regions/RU.json';
import US from './regions/US.json';

// Every file's codes are checked by the generator, which keeps only Tocsin's subdivisions; these are samples.
const SAMPLES = { CN, FR, GB, KZ, RU, US } as unknown as Record<string, RegionFile>;
const parentOf = new Map(areas.subdivisions.map((s) => [s.code, s.parent]));

/** Twice the signed area, y up: negative for clockwise. */
const signedArea = (ring: number[][]) =>
  ring.reduce((sum, [x, y], i) => {
    const [nx, ny] = ring[(i + 1) % ring.length];
    return sum + x * ny - nx * y;
  }, 0);

describe('region shapes snapshot', () => {
  it('keeps each file small: tens of kilobytes, Russia and its Arctic islands the largest', () => {
    for (const [country, file] of Object.entries(SAMPLES))
      expect([country, JSON.stringify(file).length < 160_000]).toEqual([country, true]);
    expect(JSON.stringify(KZ).length).toBeLessThan(30_000);
  });

  it("codes every region as one of its country's ISO 3166-2 subdivisions, once", () => {
    for (const [country, file] of Object.entries(SAMPLES)) {
      const codes = file.regions.map((r) => r.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) expect([code, parentOf.get(code)]).toEqual([code, country]);
    }
  });

  it("has Kazakhstan's cities apart from the regions around them, under their 2022 numeric codes", () => {
    const regions = new Map(SAMPLES.KZ.regions.map((r) => [r.code, r]));
    expect(regions.get('KZ-75')?.name).toBe('Almaty');
    expect(regions.get('KZ-19')?.name).toBe('Almaty Region');
    expect(regions.get('KZ-71')?.name).toBe('Astana');
    expect([...regions.keys()].filter((code) => !/^KZ-\d\d$/.test(code))).toEqual([]);
  });

  it('simplifies a border once for both sides: Astana is the hole in Akmola, point for point', () => {
    const regions = new Map(SAMPLES.KZ.regions.map((r) => [r.code, r]));
    const canonical = (ring: number[][]) => ring.map((p) => p.join(',')).sort();
    const astana = regions.get('KZ-71')!.polygons[0][0];
    const holes = regions.get('KZ-11')!.polygons.flatMap((polygon) => polygon.slice(1));
    expect(holes.map(canonical)).toContainEqual(canonical(astana));
    // Neighbours meet rather than overlap: an edge is drawn once each way round. Points that quantise onto one
    // grid point leave a few sub-pixel folds (19 of Great Britain's 2,296 edges, in London's small boroughs),
    // none in Kazakhstan.
    for (const [country, file] of Object.entries(SAMPLES)) {
      const edges = new Set<string>();
      let twice = 0;
      for (const region of file.regions)
        for (const ring of region.polygons.flat())
          ring.forEach((point, i) => {
            const edge = `${point.join(',')} ${ring[(i + 1) % ring.length].join(',')}`;
            if (edges.has(edge)) twice++;
            edges.add(edge);
          });
      expect([country, twice < edges.size / 100]).toEqual([country, true]);
      if (country === 'KZ') expect(twice).toBe(0);
    }
  });

  it('draws outer rings clockwise and holes counter-clockwise, inside the globe', () => {
    for (const { grid, regions } of Object.values(SAMPLES)) {
      for (const region of regions)
        for (const polygon of region.polygons)
          polygon.forEach((ring, i) => {
            expect(ring.length).toBeGreaterThanOrEqual(3);
            expect(Math.sign(signedArea(ring))).toBe(i === 0 ? -1 : 1);
            for (const [x, y] of ring)
              expect(Math.abs(x) <= 180 * grid && Math.abs(y) <= 90 * grid).toBe(true);
          });
    }
  });

  it('names the larger region a French département or a British council lies within', () => {
    const within = (file: RegionFile, code: string) => file.regions.find((r) => r.code === code)?.within;
    expect(within(SAMPLES.FR, 'FR-75C')).toBe('FR-IDF');
    expect(within(SAMPLES.GB, 'GB-EDH')).toBe('GB-SCT');
    expect(within(SAMPLES.GB, 'GB-CRF')).toBe('GB-WLS');
    expect(within(SAMPLES.GB, 'GB-LND')).toBe('GB-ENG');
  });

  it("draws Northern Ireland's districts of before 2015 as Northern Ireland", () => {
    expect(SAMPLES.GB.regions.find((r) => r.code === 'GB-NIR')?.polygons.length).toBeGreaterThan(10);
  });
});

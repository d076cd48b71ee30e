// The country page's step chart: each scheme's countrywide level over time, one chart a scheme. Drawn by hand
// as SVG: the arithmetic is a linear scale and a few calendar ticks, not worth d3-scale and d3-shape. The
// history table stays the text equivalent; the chart is one image with a summary, and each step's <title>
// tells its level and dates on hover.

import type { Level, LevelChange } from './api';
import { levelColor, textColorOn } from './contrast';
import { svg } from './dom';
import { formatDateTime, hasLocaleData, language, t } from './i18n';
import { levelName } from './localised';

/** One level in force without a break: `level` null is a period in which none was in force. */
export interface Step {
  from: number;
  /** null while it is still in force. */
  until: number | null;
  level: Level | null;
  /** The area the level was declared for: the area charted or, for a region, its country. */
  source: string | null;
}

/** Each scheme's steps, oldest first, from a history in any order (the API sends it newest first). */
export function stepsByScheme(changes: readonly LevelChange[]): Map<string, Step[]> {
  const byScheme = new Map<string, LevelChange[]>();
  for (const change of changes) {
    const group = byScheme.get(change.scheme);
    if (group) group.push(change);
    else byScheme.set(change.scheme, [change]);
  }
  const steps = new Map<string, Step[]>();
  for (const [scheme, group] of [...byScheme].sort(([a], [b]) => a.localeCompare(b))) {
    const ordered = [...group].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    steps.set(
      scheme,
      ordered.map((change, i) => ({
        from: Date.parse(change.at),
        until: i + 1 < ordered.length ? Date.parse(ordered[i + 1].at) : null,
        level: change.current && levelOf(change.current),
        source: change.current?.source ?? null,
      })),
    );
  }
  return steps;
}

const levelOf = ({ code, rank, name, color, translations }: Level): Level => ({
  code,
  rank,
  name,
  color,
  translations,
});

/**
 * The rows of a lane, bottom to top: "no level" where a step has none, then the scheme's levels by rank (all
 * of them, so a rank reads against the whole scale), with any level a step has that the scheme no longer lists.
 */
export function levelRows(schemeLevels: readonly Level[], steps: readonly Step[]): (Level | null)[] {
  const levels = new Map(schemeLevels.map((l) => [l.code, l]));
  for (const step of steps)
    if (step.level && !levels.has(step.level.code)) levels.set(step.level.code, step.level);
  const rows: (Level | null)[] = [...levels.values()].sort((a, b) => a.rank - b.rank);
  return steps.some((s) => s.level === null) ? [null, ...rows] : rows;
}

export type TickUnit = 'year' | 'month' | 'day' | 'hour';
export interface Tick {
  at: number;
  unit: TickUnit;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Candidate spacings, finest first, with the length of one unit to count how many ticks each would give.
const SPACINGS: { unit: TickUnit; every: number; ms: number }[] = [
  ...[1, 3, 6, 12].map((every) => ({ unit: 'hour' as const, every, ms: every * HOUR_MS })),
  ...[1, 2, 7, 14].map((every) => ({ unit: 'day' as const, every, ms: every * DAY_MS })),
  ...[1, 3, 6].map((every) => ({ unit: 'month' as const, every, ms: every * 30.44 * DAY_MS })),
  ...[1, 2, 5, 10, 20, 50].map((every) => ({ unit: 'year' as const, every, ms: every * 365.25 * DAY_MS })),
];

/** The first instant of `at`'s unit in the local calendar (the reader's zone). */
function startOf(at: number, unit: TickUnit): Date {
  const d = new Date(at);
  if (unit === 'year') return new Date(d.getFullYear(), 0, 1);
  if (unit === 'month') return new Date(d.getFullYear(), d.getMonth(), 1);
  if (unit === 'day') return new Date(d.getFullYear(), d.getMonth(), d.getDate());
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours());
}

function advance(d: Date, unit: TickUnit): Date {
  if (unit === 'year') return new Date(d.getFullYear() + 1, 0, 1);
  if (unit === 'month') return new Date(d.getFullYear(), d.getMonth() + 1, 1);
  if (unit === 'day') return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours() + 1);
}

function onSpacing(d: Date, unit: TickUnit, every: number): boolean {
  if (unit === 'year') return d.getFullYear() % every === 0;
  if (unit === 'month') return d.getMonth() % every === 0;
  // Days 1, 8, 15, 22 for a week: the month's last days would crowd its first.
  if (unit === 'day') return (d.getDate() - 1) % every === 0 && d.getDate() + every <= 32;
  return d.getHours() % every === 0;
}

/**
 * Ticks on calendar boundaries in the reader's zone between `start` and `end`: the finest spacing (hours, days,
 * months, years) that gives at most `maxTicks`.
 */
export function timeTicks(start: number, end: number, maxTicks: number): Tick[] {
  const span = Math.max(end - start, 1);
  const spacing = SPACINGS.find((s) => span / s.ms <= maxTicks) ?? SPACINGS[SPACINGS.length - 1];
  const ticks: Tick[] = [];
  for (let d = startOf(start, spacing.unit); d.getTime() <= end; d = advance(d, spacing.unit)) {
    if (d.getTime() >= start && onSpacing(d, spacing.unit, spacing.every))
      ticks.push({ at: d.getTime(), unit: spacing.unit });
  }
  return ticks;
}

const TICK_FORMATS: Readonly<Record<TickUnit, Intl.DateTimeFormatOptions>> = {
  year: { year: 'numeric' },
  month: { month: 'short', year: 'numeric' },
  day: { day: 'numeric', month: 'short' },
  hour: { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' },
};

/**
 * A tick's label in `lang`; where the browser has no data for it (Chromium has none for Kazakh), in digits
 * (08.2006, 10.08), never the root locale's "M08".
 */
export function tickLabel(tick: Tick, lang: string, hasData: boolean): string {
  if (hasData) return new Intl.DateTimeFormat(lang, TICK_FORMATS[tick.unit]).format(tick.at);
  const d = new Date(tick.at);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${two(d.getDate())}.${two(d.getMonth() + 1)}`;
  if (tick.unit === 'year') return String(d.getFullYear());
  if (tick.unit === 'month') return `${two(d.getMonth() + 1)}.${d.getFullYear()}`;
  if (tick.unit === 'day') return day;
  return `${day} ${two(d.getHours())}:00`;
}

/** The line's colour for a step: its level's, or null for a period without a level (drawn dashed, in grey). */
export const stepColor = (step: Step): string | null => (step.level ? levelColor(step.level.color) : null);

export interface ChartInput {
  scheme: string;
  schemeLevels: readonly Level[];
  steps: Step[];
  now: number;
  /** The left edge, where charts are read against each other (a country's and its regions'); else the first step. */
  since?: number;
  /** The area charted: a step declared for another (a region's from its country) is drawn thinner and says so. */
  area?: string;
}

export interface Geometry {
  width: number;
  /** Where each row's label ends and the plot begins. */
  labelWidth: number;
  rowHeight: number;
  /** How wide a tick's label is drawn, so that labels never touch. */
  tickWidth: (tick: Tick) => number;
}

export interface PlacedStep {
  step: Step;
  x1: number;
  x2: number;
  y: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  start: number;
  end: number;
  rows: { level: Level | null; y: number }[];
  steps: PlacedStep[];
  ticks: (Tick & { x: number })[];
}

const AXIS = 28;
const PAD = 12;
// At least an hour of time, so a level declared a moment ago still has a line to draw.
const MIN_SPAN_MS = HOUR_MS;

const TICK_GAP = 12;

/** The most ticks whose labels fit the plot's width with a gap between each two. */
function fittingTicks(start: number, end: number, plotWidth: number, width: (tick: Tick) => number): Tick[] {
  for (let max = Math.floor(plotWidth / 24); max > 1; max--) {
    const ticks = timeTicks(start, end, max);
    const apart = ticks.length > 1 ? ((ticks[1].at - ticks[0].at) / (end - start)) * plotWidth : plotWidth;
    const widest = Math.max(0, ...ticks.map(width));
    // Months and years are not all alike: the shortest gap (February, a common year) must hold the label.
    if (apart * 0.9 >= widest + TICK_GAP) return ticks;
  }
  return timeTicks(start, end, 1);
}

/** Where everything goes: x from the first change to now, one row per level, bottom to top. Pure. */
export function chartLayout(input: ChartInput, geometry: Geometry): ChartLayout {
  const start = Math.min(input.since ?? Infinity, ...input.steps.map((s) => s.from));
  const end = Math.max(input.now, start + MIN_SPAN_MS, ...input.steps.map((s) => s.until ?? 0));
  const left = geometry.labelWidth + PAD;
  const right = geometry.width - PAD * 2;
  const x = (at: number) => left + ((at - start) / (end - start)) * (right - left);
  const rows = levelRows(input.schemeLevels, input.steps);
  const bottom = PAD / 2 + rows.length * geometry.rowHeight;
  const yOf = (i: number) => bottom - (i + 0.5) * geometry.rowHeight;
  const rowOf = (level: Level | null) => rows.findIndex((r) => (r?.code ?? null) === (level?.code ?? null));
  const ticks = fittingTicks(start, end, right - left, geometry.tickWidth).map((tick) => ({
    ...tick,
    x: x(tick.at),
  }));
  return {
    width: geometry.width,
    height: bottom + AXIS,
    left,
    right,
    start,
    end,
    rows: rows.map((level, i) => ({ level, y: yOf(i) })),
    steps: input.steps.map((step) => ({
      step,
      x1: x(step.from),
      x2: x(step.until ?? end),
      y: yOf(rowOf(step.level)),
    })),
    ticks,
  };
}

const ROW_HEIGHT = 26;
const FONT_PX = 12;
const MAX_LABEL_CHARS = 28;

const rowName = (level: Level | null, scheme: string): string =>
  level ? levelName(level, scheme) : t('web.chart.noLevel');

const shortened = (text: string): string =>
  text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;

const fromElsewhere = (step: Step, area: string | undefined): boolean =>
  area !== undefined && step.source !== null && step.source !== area;

/**
 * "Severe: 14 Aug 2006, 01:00 – 30 Jun 2007, 01:00", or "Substantial: since 9 Feb 2022, 00:00"; with
 * " · countrywide (KZ)" on a region's step that its country declared.
 */
export function describeStep(step: Step, scheme: string, area?: string): string {
  const level = rowName(step.level, scheme);
  const from = formatDateTime(new Date(step.from));
  const text =
    step.until === null
      ? t('web.chart.stepSince', { level, from })
      : t('web.chart.stepFromUntil', { level, from, until: formatDateTime(new Date(step.until)) });
  return fromElsewhere(step, area)
    ? `${text} · ${t('web.country.countrywide', { source: step.source })}`
    : text;
}

/**
 * What the chart shows, for its aria-label: how many changes, over when, and the level now. A country's points
 * to the history table; a region's changes are listed with its chart.
 */
export function describeChart(
  input: ChartInput,
  schemeName: string,
  areaName: string,
  of: 'country' | 'region' = 'country',
): string {
  const last = input.steps[input.steps.length - 1];
  return t(of === 'country' ? 'web.chart.summary' : 'web.chart.summaryRegion', {
    scheme: schemeName,
    area: areaName,
    count: input.steps.length,
    from: formatDateTime(new Date(input.steps[0]?.from ?? input.now)),
    to: formatDateTime(new Date(input.now)),
    level: rowName(last?.until === null ? last.level : null, input.scheme),
  });
}

/** The SVG of a chart `width` pixels wide (the viewBox is the size it is shown at, so text keeps its size). */
export function levelChartSvg(input: ChartInput, width: number, summary: string): SVGSVGElement {
  const labels = levelRows(input.schemeLevels, input.steps).map((l) => shortened(rowName(l, input.scheme)));
  const longest = Math.max(...labels.map((l) => l.length), 4);
  // Room for the longest label at ~0.6 em a character, but never more than a third of the chart.
  const labelWidth = Math.min(Math.round(longest * FONT_PX * 0.62) + 16, Math.round(width / 3));
  const lang = language();
  const label = (tick: Tick) => tickLabel(tick, lang, hasLocaleData(lang));
  const layout = chartLayout(input, {
    width,
    labelWidth,
    rowHeight: ROW_HEIGHT,
    tickWidth: (tick) => label(tick).length * FONT_PX * 0.6,
  });
  const chart = svg('svg', {
    class: 'level-chart',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: '100%',
    role: 'img',
    'aria-label': summary,
    'data-scheme': input.scheme,
  });
  const axisY = layout.height - AXIS + 4;
  const ticks = svg('g', { class: 'ticks' });
  for (const tick of layout.ticks) {
    ticks.append(
      svg('line', { x1: tick.x, x2: tick.x, y1: PAD / 2, y2: axisY, class: 'tick-line' }),
      svg(
        'text',
        { x: tick.x, y: axisY + FONT_PX + 2, 'text-anchor': 'middle', class: 'tick-label' },
        label(tick),
      ),
    );
  }
  chart.append(ticks);
  for (const row of layout.rows) {
    const name = rowName(row.level, input.scheme);
    const color = row.level ? levelColor(row.level.color) : null;
    // The row's name on its level's colour, so the colour is never the only signal.
    chart.append(
      svg(
        'g',
        { class: 'row-label', 'data-level': row.level?.code ?? 'none' },
        svg('title', {}, name),
        svg('rect', {
          x: PAD / 2,
          y: row.y - ROW_HEIGHT / 2 + 3,
          width: labelWidth,
          height: ROW_HEIGHT - 6,
          rx: 4,
          fill: color ?? '#ffffff',
          stroke: color ? 'none' : '#767676',
          'stroke-dasharray': color ? null : '3 2',
        }),
        svg(
          'text',
          { x: PAD / 2 + 6, y: row.y + FONT_PX / 2 - 1, fill: color ? textColorOn(color) : '#1a1a1a' },
          shortened(name),
        ),
      ),
      svg('line', { x1: layout.left, x2: layout.right, y1: row.y, y2: row.y, class: 'row-line' }),
    );
  }
  // Risers first, so each step's line and marker are drawn over them.
  const risers = svg('g', { class: 'risers' });
  layout.steps.forEach((placed, i) => {
    const before = layout.steps[i - 1];
    if (before) risers.append(svg('line', { x1: placed.x1, x2: placed.x1, y1: before.y, y2: placed.y }));
  });
  chart.append(risers);
  for (const placed of layout.steps) {
    const color = stepColor(placed.step);
    chart.append(
      svg(
        'g',
        {
          class: [
            'step',
            color ? '' : 'step-none',
            fromElsewhere(placed.step, input.area) ? 'step-countrywide' : '',
          ]
            .filter(Boolean)
            .join(' '),
          'data-level': placed.step.level?.code ?? 'none',
          'data-from': new Date(placed.step.from).toISOString(),
          'data-color': color ?? 'none',
        },
        svg('title', {}, describeStep(placed.step, input.scheme, input.area)),
        svg('line', {
          x1: placed.x1,
          x2: Math.max(placed.x2, placed.x1 + 1),
          y1: placed.y,
          y2: placed.y,
          stroke: color ?? '#767676',
          class: 'step-line',
        }),
        svg('circle', { cx: placed.x1, cy: placed.y, r: 5, fill: color ?? '#ffffff', class: 'step-mark' }),
      ),
    );
  }
  return chart;
}

/**
 * A figure with the chart, drawn at the width it is shown at and again when that width changes (a phone
 * turned, a window resized), so the labels stay readable instead of shrinking with a fixed viewBox. With
 * `stepsAsText`, its steps are also a list for screen readers, for a chart no table on the page repeats.
 */
export function levelChartFigure(
  input: ChartInput,
  caption: string,
  summary: string,
  stepsAsText = false,
): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'level-chart-figure';
  const figcaption = document.createElement('figcaption');
  figcaption.textContent = caption;
  figure.append(figcaption);
  if (stepsAsText) {
    const list = document.createElement('ol');
    list.className = 'sr-only';
    for (const step of input.steps) {
      const item = document.createElement('li');
      item.textContent = describeStep(step, input.scheme, input.area);
      list.append(item);
    }
    figure.append(list);
  }
  let drawnAt = 0;
  const draw = () => {
    const width = Math.max(320, Math.round(figure.clientWidth || 720));
    if (Math.abs(width - drawnAt) < 8) return;
    drawnAt = width;
    const chart = levelChartSvg(input, width, summary);
    const drawn = figure.querySelector('svg');
    if (drawn) drawn.replaceWith(chart);
    else figcaption.after(chart);
  };
  const observer = new ResizeObserver(() => {
    if (!figure.isConnected) observer.disconnect();
    else draw();
  });
  observer.observe(figure);
  draw();
  return figure;
}

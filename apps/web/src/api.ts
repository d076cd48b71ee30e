// The JSON API as the pages use it: same origin, problem+json errors turned into ApiError.

import { language, t } from './i18n';

/** Texts in other languages, keyed by BCP 47 tag: `{"ru": {"name": "…"}}`. */
export type Translations<T> = Partial<Record<string, Partial<T>>>;

export interface LevelText {
  name: string;
  description: string;
  measures: string[];
}

export interface Level {
  code: string;
  rank: number;
  name: string;
  color: string | null;
  translations?: Translations<LevelText>;
}

export interface Area {
  code: string;
  name: string;
  type: 'country' | 'subdivision';
  parent: string | null;
  defaultScheme?: string;
  /** A country's names by language. */
  names?: Record<string, string>;
}

export interface SchemeLevel extends Level {
  description: string;
  measures: string[];
}

export interface Scheme {
  id: string;
  name: string;
  event?: string;
  description?: string;
  levels: SchemeLevel[];
  translations?: Translations<{ name: string; event: string; description: string }>;
}

export interface EffectiveLevel {
  area: Area;
  scheme: string;
  level: Level;
  declarationId: string;
  source: string;
  since: string;
  until: string | null;
}

export interface AreaLevels {
  area: Area;
  levels: EffectiveLevel[];
  subdivisions: { area: Area; levels: EffectiveLevel[] }[];
}

export interface LevelChange {
  at: string;
  area: Area;
  scheme: string;
  cause: 'declared' | 'expired' | 'cancelled';
  previous: (Level & { source: string }) | null;
  current: (Level & { source: string }) | null;
  direction: 'escalated' | 'deescalated' | 'unchanged';
  declarationId: string;
  by: string | null;
}

export interface DeclarationText {
  headline: string;
  summary: string;
  measures: string[];
}

/** CAP's status (DESIGN.md §5.4): only an actual declaration changes a level. */
export type DeclarationMode = 'actual' | 'exercise' | 'test';

export interface Declaration {
  id: string;
  /** The language of headline, summary and measures. */
  language?: string;
  translations?: Translations<DeclarationText>;
  status: 'pending_approval' | 'rejected' | 'scheduled' | 'active' | 'expired' | 'cancelled' | 'superseded';
  /** Absent on a server from before governance: actual. */
  mode?: DeclarationMode;
  /** null when none was needed; absent on an older server. */
  approval?: 'pending' | 'approved' | 'rejected' | 'urgent' | null;
  /** The id of the key that published it, where the server says. */
  createdByKey?: string | null;
  rejectReason?: string | null;
  cancelledAt?: string | null;
  /** A publisher's cancellation of a declaration that needed approval, waiting for a second key. */
  cancelRequest?: CancelRequest | null;
  scheme: string;
  level: Level;
  areas: Area[];
  headline: string;
  summary: string;
  measures: string[];
  authority: string;
  sourceUrl: string | null;
  effectiveAt: string;
  expiresAt: string | null;
  createdAt: string;
  createdBy: string;
  /** Where an imported declaration came from; null (or absent, on an older server) for a typed one. */
  origin?: DeclarationOrigin | null;
}

export interface CancelRequest {
  requestedAt: string;
  requestedBy: { id: string; name: string };
  reason: string | null;
}

/** The CAP document an imported declaration was made from (DESIGN.md §5.3). */
export interface DeclarationOrigin {
  sourceId: string;
  sourceName: string;
  sender: string;
  identifier: string;
  sent: string;
}

export interface DeclarationBody {
  language?: string;
  scheme: string;
  level: string;
  areas: string[];
  headline: string;
  summary: string;
  measures: string[];
  authority: string;
  sourceUrl?: string;
  effectiveAt?: string;
  expiresAt?: string;
  mode?: DeclarationMode;
  /** An admin publishing without approval, with the reason the audit log keeps. */
  urgent?: boolean;
  urgentReason?: string;
}

export interface Preview {
  webhooks: number;
  emails: number;
  changes: {
    area: Area;
    scheme: string;
    previous: Level | null;
    current: Level | null;
    direction: string;
  }[];
}

export interface Webhook {
  id: string;
  url: string;
  description: string | null;
  areas: string[];
  scheme: string | null;
  minRank: number | null;
  enabled: boolean;
  disabledReason?: string | null;
  /** Also hears exercises and tests (absent on an older server). */
  exercises?: boolean;
}

export interface Delivery {
  id: string;
  channel: 'webhook' | 'email' | 'sms';
  eventId: string;
  status: 'pending' | 'sent' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface DeliveryCounts {
  total: number;
  pending: number;
  /** SMS the SMSC took, waiting for their delivery receipts. */
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  /** Emails waiting for their subscribers' digests (not pending: nothing is tried until the digest). */
  held: number;
}

/** How far a declaration's fan-out has come (GET /v1/declarations/{id}/deliveries/summary). */
export interface DeliverySummary extends DeliveryCounts {
  declarationId: string;
  byChannel: Record<Delivery['channel'], DeliveryCounts>;
  startedAt: string | null;
  lastDeliveredAt: string | null;
  finishedAt: string | null;
  ratePerSecond: number;
  /** 0 when done; null while there is no rate to tell by. */
  etaSeconds: number | null;
  /** Every event due so far has all its deliveries: no more will be added. */
  fannedOut: boolean;
  events: number;
}

export const deliverySummary = (declarationId: string, key: string): Promise<DeliverySummary> =>
  api<DeliverySummary>(`/v1/declarations/${encodeURIComponent(declarationId)}/deliveries/summary`, { key });

export interface SourceCounts {
  seen: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

/** A feed Tocsin polls or a CAP editor that pushes to it (admin only). */
export interface Source {
  id: string;
  name: string;
  kind: 'cap-feed' | 'cap-push';
  url: string | null;
  pollSeconds: number | null;
  scheme: string;
  enabled: boolean;
  /** When it was last fetched (or pushed to). */
  lastFetchedAt: string | null;
  /** The HTTP status of the last fetch; null when nothing answered. */
  lastStatus: number | null;
  lastError: string | null;
  counts: SourceCounts;
  createdAt: string;
  updatedAt: string;
}

/** One document a source brought, and what became of it. */
export interface SourceItem {
  id: string;
  /** Null for a document that could not be read far enough to name them. */
  sender: string | null;
  identifier: string | null;
  sent: string | null;
  outcome: 'imported' | 'duplicate' | 'rejected';
  reason: string | null;
  declarationIds: string[];
  receivedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Caller {
  id: string;
  name: string;
  role: 'admin' | 'publisher' | 'integrator' | 'viewer';
}

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** A failed request: the status and the problem document's detail and per-field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; key?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, t('web.error.unreachable'));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const problem = (body ?? {}) as ProblemBody;
    throw new ApiError(
      response.status,
      problem.detail ?? problem.title ?? t('web.error.status', { status: response.status }),
      problem.errors ?? [],
    );
  }
  return body as T;
}

/**
 * `path` with `lang=` for the reads that name areas (and levels) in the pages' language: /v1/areas and
 * /v1/levels. Other routes refuse a parameter they do not know, so it goes only where it is understood.
 */
export function inLanguage(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${language()}`;
}

let countries: Promise<Area[]> | null = null;
let schemes: Promise<Scheme[]> | null = null;
const schemesById = new Map<string, Scheme>();

/** Every country (with its default scheme), named in the pages' language; fetched once per page. */
export const listCountries = (): Promise<Area[]> =>
  (countries ??= api<Page<Area>>(inLanguage('/v1/areas?type=country')).then((page) => page.items));

export const listSchemes = (): Promise<Scheme[]> =>
  (schemes ??= api<Page<Scheme>>('/v1/schemes').then((page) => {
    for (const scheme of page.items) schemesById.set(scheme.id, scheme);
    return page.items;
  }));

/** A scheme `listSchemes` has loaded. */
export const knownScheme = (id: string): Scheme | undefined => schemesById.get(id);

import { tables } from '@tocsin/database';

export const SOURCE_KINDS = ['cap-feed', 'cap-push'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export const ITEM_OUTCOMES = ['imported', 'duplicate', 'rejected'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

export type SourceLevelRule = tables.SourceLevelRule;
export type SourceCounts = tables.SourceCounts;

/** Another authority's CAP alerts as Tocsin follows them (DESIGN.md §5.3). */
export interface Source {
  id: string;
  name: string;
  kind: SourceKind;
  /** cap-feed: the feed (Atom, RSS or one CAP document); cap-push: null. */
  url: string | null;
  pollSeconds: number | null;
  schemeId: string;
  levelRules: SourceLevelRule[];
  areaMap: Record<string, string>;
  defaultAreas: string[];
  enabled: boolean;
  lastFetchedAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  counts: SourceCounts;
  createdAt: Date;
  updatedAt: Date;
}

/** What the poller keeps between fetches, besides the source itself. */
export interface StoredSource extends Source {
  pushKeyHash: string | null;
  etag: string | null;
  lastModified: string | null;
}

/** One CAP document a source brought and what became of it. */
export interface SourceItem {
  id: string;
  sourceId: string;
  sender: string | null;
  identifier: string | null;
  sent: string | null;
  outcome: ItemOutcome;
  reason: string | null;
  declarationIds: string[];
  receivedAt: Date;
}

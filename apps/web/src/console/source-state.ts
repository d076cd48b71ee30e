// How a source is doing, in words: the rules behind the Sources screen, apart from the DOM so they can be tested.

import type { Source, SourceCounts, SourceItem } from '../api';
import { t } from '../i18n';

/** `off`: disabled; `waiting`: enabled, nothing fetched or pushed yet; `failing`: its last fetch went wrong. */
export type SourceHealth = 'off' | 'waiting' | 'failing' | 'ok';

export function sourceHealth(
  source: Pick<Source, 'enabled' | 'lastFetchedAt' | 'lastStatus' | 'lastError'>,
): SourceHealth {
  if (!source.enabled) return 'off';
  if (source.lastError) return 'failing';
  if (typeof source.lastStatus === 'number' && (source.lastStatus < 200 || source.lastStatus >= 400)) {
    return 'failing';
  }
  if (!source.lastFetchedAt && source.lastStatus === null) return 'waiting';
  return 'ok';
}

const HEALTH: Readonly<Record<SourceHealth, string>> = {
  off: 'web.sources.health.off',
  waiting: 'web.sources.health.waiting',
  failing: 'web.sources.health.failing',
  ok: 'web.sources.health.ok',
};

export const healthText = (health: SourceHealth): string => t(HEALTH[health]);

/** The CSS class of the badge: the delivery statuses' colours (green, grey, red). */
export const healthClass = (health: SourceHealth): string =>
  `status status-${{ off: 'skipped', waiting: 'pending', failing: 'failed', ok: 'delivered' }[health]}`;

const KINDS: Readonly<Record<Source['kind'], string>> = {
  'cap-feed': 'web.sources.kind.feed',
  'cap-push': 'web.sources.kind.push',
};

export const kindText = (kind: Source['kind']): string => (KINDS[kind] ? t(KINDS[kind]) : kind);

/** "304 Not Modified" is an HTTP status; anything else the server says is shown as it is. */
export function statusText(status: Source['lastStatus']): string {
  if (status === null || status === undefined || status === '') return t('web.sources.never');
  if (typeof status === 'number' || /^\d{3}$/.test(status)) return t('web.sources.httpStatus', { status });
  return status;
}

/** One sentence with the four counts, each in its language's plural form. */
export const countsText = (counts: SourceCounts): string => t('web.sources.counts', { ...counts });

const OUTCOMES: Readonly<Record<SourceItem['outcome'], string>> = {
  imported: 'web.sources.outcome.imported',
  duplicate: 'web.sources.outcome.duplicate',
  rejected: 'web.sources.outcome.rejected',
};

export const outcomeText = (outcome: SourceItem['outcome']): string =>
  OUTCOMES[outcome] ? t(OUTCOMES[outcome]) : outcome;

export const outcomeClass = (outcome: SourceItem['outcome']): string =>
  `status status-${{ imported: 'delivered', duplicate: 'skipped', rejected: 'failed' }[outcome] ?? 'pending'}`;

/** When a document was seen: the item's own instant under whichever name the server gives it. */
export const seenAt = (item: SourceItem): string | null => item.receivedAt ?? item.createdAt ?? null;

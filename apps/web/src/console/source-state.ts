// How a source is doing, in words: the rules behind the Sources screen, apart from the DOM so they can be tested.

import type { Source, SourceCounts, SourceItem } from '../api';
import { t } from '../i18n';

/**
 * `off`: disabled; `waiting`: enabled, nothing fetched or pushed yet; `failing`: its last fetch failed (no answer,
 * or one that is not 2xx/3xx); `attention`: it answered, but something went wrong (a pushed document rejected, a
 * feed's entry not fetched); `ok`.
 */
export type SourceHealth = 'off' | 'waiting' | 'failing' | 'attention' | 'ok';

export function sourceHealth(
  source: Pick<Source, 'enabled' | 'lastFetchedAt' | 'lastStatus' | 'lastError'>,
): SourceHealth {
  if (!source.enabled) return 'off';
  const answered = source.lastStatus !== null && source.lastStatus >= 200 && source.lastStatus < 400;
  if (source.lastError) return answered ? 'attention' : 'failing';
  if (source.lastStatus !== null && !answered) return 'failing';
  if (!source.lastFetchedAt) return 'waiting';
  return 'ok';
}

const HEALTH: Readonly<Record<SourceHealth, string>> = {
  off: 'web.sources.health.off',
  waiting: 'web.sources.health.waiting',
  failing: 'web.sources.health.failing',
  attention: 'web.sources.health.attention',
  ok: 'web.sources.health.ok',
};

export const healthText = (health: SourceHealth): string => t(HEALTH[health]);

/** The CSS class of the badge: the delivery statuses' colours (green, grey, red). */
export const healthClass = (health: SourceHealth): string =>
  `status status-${{ off: 'skipped', waiting: 'pending', failing: 'failed', attention: 'failed', ok: 'delivered' }[health]}`;

const KINDS: Readonly<Record<Source['kind'], string>> = {
  'cap-feed': 'web.sources.kind.feed',
  'cap-push': 'web.sources.kind.push',
};

export const kindText = (kind: Source['kind']): string => (KINDS[kind] ? t(KINDS[kind]) : kind);

/** The last fetch's HTTP status, or "never" before the first answer. */
export const statusText = (status: Source['lastStatus']): string =>
  status === null ? t('web.sources.never') : t('web.sources.httpStatus', { status: String(status) });

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

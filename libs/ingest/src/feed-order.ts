import { FeedEntry } from './feed';

/**
 * A feed's entries in the order they were published: an Update or a Cancel must come after the Alert it
 * refers to, and feeds list newest first. Entries without a readable date keep the reverse of feed order.
 */
export function oldestFirst(entries: FeedEntry[]): FeedEntry[] {
  const time = (entry: FeedEntry) => (entry.updated ? Date.parse(entry.updated) : Number.NaN);
  return entries
    .map((entry, index) => ({ entry, index, at: time(entry) }))
    .reverse()
    .sort((a, b) => (Number.isNaN(a.at) || Number.isNaN(b.at) ? b.index - a.index : a.at - b.at))
    .map(({ entry }) => entry);
}

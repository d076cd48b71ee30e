import { FeedEntry } from './feed';
import { oldestFirst } from './feed-order';

const entry = (id: string, updated: string | null): FeedEntry => ({
  url: `https://x.example/${id}`,
  id,
  updated,
});

describe('oldestFirst', () => {
  it('orders entries by their date, oldest first, whatever the zone they are written in', () => {
    const entries = [
      entry('cancel', '2026-01-12T18:45:00+05:00'),
      entry('update', 'Thu, 08 Jan 2026 12:00:00 +0500'),
      entry('alert', '2026-01-05T04:30:00Z'),
    ];
    expect(oldestFirst(entries).map((e) => e.id)).toEqual(['alert', 'update', 'cancel']);
  });

  it('reads a feed without dates from its end (feeds list newest first)', () => {
    const entries = [entry('c', null), entry('b', null), entry('a', null)];
    expect(oldestFirst(entries).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});

import type { Declaration } from '../api';
import { askedBy, awaitedDecision, previewRequestOf, publishedBy } from './approval-rules';

const NOW = new Date('2026-12-03T10:00:00Z');
const KAZAKHSTAN = { code: 'KZ', name: 'Kazakhstan', type: 'country' as const, parent: null };
const ALMATY = { code: 'KZ-75', name: 'Almaty', type: 'subdivision' as const, parent: 'KZ' };

const pending = (over: Partial<Declaration> = {}): Declaration => ({
  id: 'dcl_1',
  language: 'en',
  status: 'pending_approval',
  mode: 'actual',
  approval: 'pending',
  scheme: 'kz-terror',
  level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
  areas: [KAZAKHSTAN, ALMATY],
  headline: 'Critical level',
  summary: 'Repeat attacks are possible.',
  measures: ['Searches.'],
  authority: 'Anti-Terrorist Centre',
  sourceUrl: null,
  effectiveAt: '2026-12-03T09:00:00Z',
  expiresAt: '2026-12-10T09:00:00Z',
  createdAt: '2026-12-03T09:00:00Z',
  createdBy: 'duty desk',
  ...over,
});

const session = (id: string, name: string) => ({
  key: 'tk_x',
  caller: { id, name, role: 'publisher' as const },
});

describe('publishedBy', () => {
  it('knows the creator by key id where the server gives it, whatever the names', () => {
    expect(publishedBy(pending({ createdByKey: 'key_a' }), session('key_a', 'someone else'))).toBe(true);
    expect(publishedBy(pending({ createdByKey: 'key_a' }), session('key_b', 'duty desk'))).toBe(false);
  });

  it('falls back to the key’s name on a server that gives no key id', () => {
    expect(publishedBy(pending(), session('key_b', 'duty desk'))).toBe(true);
    expect(publishedBy(pending(), session('key_b', 'night desk'))).toBe(false);
    expect(publishedBy(pending({ createdByKey: null }), session('key_b', 'duty desk'))).toBe(true);
  });
});

const REQUEST = {
  requestedAt: '2026-12-03T09:30:00Z',
  requestedBy: { id: 'key_c', name: 'night desk' },
  reason: 'Threat passed.',
};

describe('awaitedDecision', () => {
  it('is the publication of a pending declaration, the cancellation of one with a request not carried out', () => {
    expect(awaitedDecision(pending())).toBe('publication');
    expect(
      awaitedDecision(
        pending({ status: 'active', approval: 'approved', cancelRequest: REQUEST, cancelledAt: null }),
      ),
    ).toBe('cancellation');
    expect(
      awaitedDecision(
        pending({ status: 'cancelled', cancelRequest: REQUEST, cancelledAt: '2026-12-03T09:40:00Z' }),
      ),
    ).toBeNull();
    expect(awaitedDecision(pending({ status: 'active', approval: 'approved' }))).toBeNull();
  });
});

describe('askedBy', () => {
  it('is the publisher for a publication, whoever asked for a cancellation', () => {
    const cancelling = pending({ status: 'active', createdByKey: 'key_a', cancelRequest: REQUEST });
    expect(askedBy(cancelling, session('key_c', 'x'))).toBe(true);
    expect(askedBy(cancelling, session('key_a', 'x'))).toBe(false);
    expect(askedBy(pending({ createdByKey: 'key_a' }), session('key_a', 'x'))).toBe(true);
  });
});

describe('previewRequestOf', () => {
  it('asks for what publishing it would do: its scheme, level code, area codes and texts', () => {
    expect(previewRequestOf(pending(), NOW)).toEqual({
      language: 'en',
      scheme: 'kz-terror',
      level: 'red',
      areas: ['KZ', 'KZ-75'],
      headline: 'Critical level',
      summary: 'Repeat attacks are possible.',
      measures: ['Searches.'],
      authority: 'Anti-Terrorist Centre',
      sourceUrl: undefined,
      effectiveAt: undefined,
      expiresAt: '2026-12-10T09:00:00Z',
    });
  });

  it('keeps a start still ahead, and leaves out an end that has passed', () => {
    const later = previewRequestOf(
      pending({ effectiveAt: '2026-12-04T00:00:00Z', expiresAt: '2026-12-03T09:30:00Z' }),
      NOW,
    );
    expect(later.effectiveAt).toBe('2026-12-04T00:00:00Z');
    expect(later.expiresAt).toBeUndefined();
  });

  it('carries an exercise’s or a test’s mode, and none for an actual one', () => {
    expect(previewRequestOf(pending({ mode: 'exercise' }), NOW).mode).toBe('exercise');
    expect(previewRequestOf(pending({ mode: 'test' }), NOW).mode).toBe('test');
    expect('mode' in previewRequestOf(pending(), NOW)).toBe(false);
    expect('mode' in previewRequestOf(pending({ mode: undefined }), NOW)).toBe(false);
  });
});

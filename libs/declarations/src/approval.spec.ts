import {
  approvalOnPublish,
  approvalTiming,
  cancelNeedsApproval,
  needsApproval,
  refusalToDecide,
} from './approval';

const at = (iso: string) => new Date(iso);
const RED = { code: 'red', rank: 3, name: 'Critical', color: null };
const YELLOW = { code: 'yellow', rank: 1, name: 'Moderate', color: null };

describe('needsApproval', () => {
  it.each([
    [null, 3, false],
    [undefined, 3, false],
    [{ minRank: 3 }, 3, true],
    [{ minRank: 3 }, 2, false],
    [{ minRank: 2 }, 3, true],
    [{ minRank: 1 }, 1, true],
  ])('with approval %j, rank %d needs approval: %s', (approval, rank, expected) => {
    expect(needsApproval(approval, rank)).toBe(expected);
  });
});

describe('approvalOnPublish', () => {
  it('is pending at or above minRank, null below or with no approval', () => {
    expect(approvalOnPublish({ minRank: 3 }, 3, false)).toBe('pending');
    expect(approvalOnPublish({ minRank: 3 }, 2, false)).toBeNull();
    expect(approvalOnPublish(null, 3, false)).toBeNull();
  });

  it('is urgent when an admin skips it, whatever the rank', () => {
    expect(approvalOnPublish({ minRank: 3 }, 3, true)).toBe('urgent');
    expect(approvalOnPublish(null, 1, true)).toBe('urgent');
  });
});

describe('cancelNeedsApproval', () => {
  it('waits for a declaration that was approved or published urgently, even once the rule is gone', () => {
    expect(cancelNeedsApproval({ approval: 'approved', level: RED }, null)).toBe(true);
    expect(cancelNeedsApproval({ approval: 'urgent', level: RED }, null)).toBe(true);
  });

  it('waits for one whose rank the rule covers now, though it was published before the rule', () => {
    expect(cancelNeedsApproval({ approval: null, level: RED }, { minRank: 3 })).toBe(true);
    expect(cancelNeedsApproval({ approval: null, level: YELLOW }, { minRank: 3 })).toBe(false);
    expect(cancelNeedsApproval({ approval: null, level: RED }, null)).toBe(false);
  });

  it('withdraws a pending one at once: it never took effect', () => {
    expect(cancelNeedsApproval({ approval: 'pending', level: RED }, { minRank: 3 })).toBe(false);
  });
});

describe('refusalToDecide', () => {
  const asker = { id: 'key_a' };
  it('lets another publisher or admin key decide', () => {
    expect(refusalToDecide(asker, { id: 'key_b', role: 'publisher' })).toBeNull();
    expect(refusalToDecide(asker, { id: 'key_c', role: 'admin' })).toBeNull();
  });

  it('refuses the key that asked, even an admin', () => {
    expect(refusalToDecide(asker, { id: 'key_a', role: 'admin' })).toMatch(/second key/);
  });

  it.each(['viewer', 'integrator', undefined])('refuses a key of role %s', (role) => {
    expect(refusalToDecide(asker, { id: 'key_b', role })).toMatch(/publisher or admin/);
  });
});

describe('approvalTiming', () => {
  const created = at('2030-01-01T00:00:00Z');
  const now = at('2030-01-01T06:00:00Z');

  it('starts now what was to start at publication (the default) and waited', () => {
    expect(approvalTiming({ createdAt: created, effectiveAt: created, expiresAt: null }, now)).toEqual({
      kind: 'starts-now',
      effectiveAt: now,
    });
  });

  it('starts now a scheduled start that passed while it waited', () => {
    const effectiveAt = at('2030-01-01T03:00:00Z');
    expect(approvalTiming({ createdAt: created, effectiveAt, expiresAt: null }, now)).toEqual({
      kind: 'starts-now',
      effectiveAt: now,
    });
  });

  it('keeps a start still to come', () => {
    const effectiveAt = at('2030-01-02T00:00:00Z');
    expect(approvalTiming({ createdAt: created, effectiveAt, expiresAt: null }, now)).toEqual({
      kind: 'as-published',
      effectiveAt,
    });
  });

  it('keeps a start the publisher put before publication (a level already in force)', () => {
    const effectiveAt = at('2029-12-25T00:00:00Z');
    expect(approvalTiming({ createdAt: created, effectiveAt, expiresAt: null }, now)).toEqual({
      kind: 'as-published',
      effectiveAt,
    });
  });

  it('refuses one whose expiry passed while it waited', () => {
    const expiresAt = at('2030-01-01T05:00:00Z');
    expect(approvalTiming({ createdAt: created, effectiveAt: created, expiresAt }, now)).toEqual({
      kind: 'expired',
    });
  });

  it('keeps the times of history, recorded wholly in the past', () => {
    const effectiveAt = at('2022-01-07T00:00:00Z');
    const expiresAt = at('2022-01-13T00:00:00Z');
    expect(approvalTiming({ createdAt: created, effectiveAt, expiresAt }, now)).toEqual({
      kind: 'as-published',
      effectiveAt,
    });
  });
});

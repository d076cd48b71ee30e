import {
  CODE_VALID_MS,
  codeAllowance,
  codeMatches,
  CodeState,
  hashCode,
  judgeCode,
  LOCK_MS,
  MAX_CODES_PER_DAY,
  MIN_CODE_INTERVAL_MS,
  newCode,
} from './sms-codes';

const now = new Date('2026-12-03T12:00:00.000Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const SECRET = 'instance-secret';

const pending = (changes: Partial<CodeState> = {}): CodeState => ({
  status: 'pending',
  codeHash: hashCode(SECRET, 'sms_1', '042917'),
  codeSentAt: ago(60_000),
  codesToday: 1,
  wrongCodes: 0,
  lockedUntil: null,
  ...changes,
});
const matching = (given: string) => (storedHash: string) => codeMatches(SECRET, 'sms_1', given, storedHash);

describe('newCode', () => {
  it('is six digits, leading zeros kept', () => {
    expect(newCode(() => 42)).toBe('000042');
    expect(newCode(() => 999_999)).toBe('999999');
    expect(newCode()).toMatch(/^\d{6}$/);
  });

  it('asks the random source for a number below a million', () => {
    const asked: number[] = [];
    newCode((max) => (asked.push(max), 0));
    expect(asked).toEqual([1_000_000]);
  });
});

describe('hashCode and codeMatches', () => {
  it('matches the code the hash was made from, and no other', () => {
    const stored = hashCode(SECRET, 'sms_1', '123456');
    expect(codeMatches(SECRET, 'sms_1', '123456', stored)).toBe(true);
    expect(codeMatches(SECRET, 'sms_1', '123457', stored)).toBe(false);
    expect(codeMatches(SECRET, 'sms_1', '', stored)).toBe(false);
  });

  it('binds the hash to the instance secret and to the subscription', () => {
    const stored = hashCode(SECRET, 'sms_1', '123456');
    expect(codeMatches('another secret', 'sms_1', '123456', stored)).toBe(false);
    expect(codeMatches(SECRET, 'sms_2', '123456', stored)).toBe(false);
  });

  it('stores no digits of the code', () => {
    expect(hashCode(SECRET, 'sms_1', '123456')).not.toContain('123456');
    expect(hashCode(SECRET, 'sms_1', '123456')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('takes a stored hash of another length as no match instead of throwing', () => {
    expect(codeMatches(SECRET, 'sms_1', '123456', 'short')).toBe(false);
  });
});

describe('judgeCode', () => {
  it('confirms the right code within its validity', () => {
    expect(judgeCode(pending(), matching('042917'), now)).toEqual({ outcome: 'confirmed' });
    expect(judgeCode(pending({ codeSentAt: ago(CODE_VALID_MS) }), matching('042917'), now)).toEqual({
      outcome: 'confirmed',
    });
  });

  it('counts a wrong code, and locks the number for an hour at the fifth', () => {
    expect(judgeCode(pending(), matching('000000'), now)).toEqual({
      outcome: 'wrong',
      wrongCodes: 1,
      lockedUntil: null,
    });
    expect(judgeCode(pending({ wrongCodes: 3 }), matching('000000'), now)).toEqual({
      outcome: 'wrong',
      wrongCodes: 4,
      lockedUntil: null,
    });
    expect(judgeCode(pending({ wrongCodes: 4 }), matching('000000'), now)).toEqual({
      outcome: 'wrong',
      wrongCodes: 5,
      lockedUntil: new Date(now.getTime() + LOCK_MS),
    });
  });

  it('refuses even the right code while the number is locked, without comparing it', () => {
    const lockedUntil = new Date(now.getTime() + 1);
    const compared: string[] = [];
    const verdict = judgeCode(
      pending({ wrongCodes: 5, lockedUntil }),
      (stored) => (compared.push(stored), true),
      now,
    );
    expect(verdict).toEqual({ outcome: 'locked', lockedUntil });
    expect(compared).toEqual([]);
  });

  it('judges again once the lock has passed', () => {
    const verdict = judgeCode(pending({ lockedUntil: now }), matching('042917'), now);
    expect(verdict).toEqual({ outcome: 'confirmed' });
  });

  it('has no code to compare with once it expired, none was sent, or the number is not pending', () => {
    const expired = pending({ codeSentAt: ago(CODE_VALID_MS + 1) });
    expect(judgeCode(expired, matching('042917'), now)).toEqual({ outcome: 'no-code' });
    expect(judgeCode(pending({ codeHash: null }), matching('042917'), now)).toEqual({ outcome: 'no-code' });
    expect(judgeCode(pending({ codeSentAt: null }), matching('042917'), now)).toEqual({ outcome: 'no-code' });
    for (const status of ['confirmed', 'unsubscribed', 'disabled'])
      expect(judgeCode(pending({ status }), matching('042917'), now)).toEqual({ outcome: 'no-code' });
  });
});

describe('codeAllowance', () => {
  it('lets the first code go and counts it', () => {
    expect(codeAllowance(pending({ codeSentAt: null, codesToday: 0 }), now)).toEqual({
      allowed: true,
      codesToday: 1,
    });
  });

  it('sends no second code within a minute', () => {
    const recent = pending({ codeSentAt: ago(MIN_CODE_INTERVAL_MS - 1), codesToday: 1 });
    expect(codeAllowance(recent, now)).toEqual({ allowed: false, codesToday: 1 });
    const later = pending({ codeSentAt: ago(MIN_CODE_INTERVAL_MS), codesToday: 1 });
    expect(codeAllowance(later, now)).toEqual({ allowed: true, codesToday: 2 });
  });

  it(`sends at most ${MAX_CODES_PER_DAY} in a UTC day, and counts afresh the next day`, () => {
    const spent = pending({ codeSentAt: ago(3600_000), codesToday: MAX_CODES_PER_DAY });
    expect(codeAllowance(spent, now)).toEqual({ allowed: false, codesToday: MAX_CODES_PER_DAY });
    const yesterday = pending({ codeSentAt: ago(13 * 3600_000), codesToday: MAX_CODES_PER_DAY });
    expect(codeAllowance(yesterday, now)).toEqual({ allowed: true, codesToday: 1 });
  });

  it('sends no code to a locked number', () => {
    const locked = pending({ codeSentAt: ago(3600_000), lockedUntil: new Date(now.getTime() + 1) });
    expect(codeAllowance(locked, now).allowed).toBe(false);
    expect(codeAllowance({ ...locked, lockedUntil: now }, now).allowed).toBe(true);
  });
});

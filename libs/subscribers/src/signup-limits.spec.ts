import { MAX_MAILS_PER_DAY, signupMailAllowance } from './signup-limits';

const at = (iso: string) => new Date(iso);

describe('signupMailAllowance', () => {
  it('mails an address never mailed before', () => {
    expect(
      signupMailAllowance({ confirmationSentAt: null, confirmationsToday: 0 }, at('2026-01-01T12:00:00Z')),
    ).toEqual({
      allowed: true,
      confirmationsToday: 1,
    });
  });

  it('does not mail again within ten minutes', () => {
    const history = { confirmationSentAt: at('2026-01-01T12:00:00Z'), confirmationsToday: 1 };
    expect(signupMailAllowance(history, at('2026-01-01T12:09:59Z')).allowed).toBe(false);
    expect(signupMailAllowance(history, at('2026-01-01T12:10:00Z'))).toEqual({
      allowed: true,
      confirmationsToday: 2,
    });
  });

  it('stops at the daily cap and starts afresh the next UTC day', () => {
    const history = { confirmationSentAt: at('2026-01-01T20:00:00Z'), confirmationsToday: MAX_MAILS_PER_DAY };
    expect(signupMailAllowance(history, at('2026-01-01T23:00:00Z')).allowed).toBe(false);
    expect(signupMailAllowance(history, at('2026-01-02T00:00:00Z'))).toEqual({
      allowed: true,
      confirmationsToday: 1,
    });
  });
});

import { endpointDisabledEmail, failingTooLong } from './endpoint-health';

const HOUR = 3600_000;

describe('failingTooLong', () => {
  const now = new Date('2026-01-04T00:00:00Z');
  it.each([
    [null, false],
    [new Date(now.getTime() - 71 * HOUR), false],
    [new Date(now.getTime() - 72 * HOUR), true],
  ])('with the first failure since the last success at %j: %s', (first, expected) => {
    expect(failingTooLong(first, now, 72 * HOUR)).toBe(expected);
  });
});

describe('endpointDisabledEmail', () => {
  it('says which endpoint, why, and how to recover, with the markup escaped', () => {
    const email = endpointDisabledEmail(
      { id: 'whk_1', url: 'https://r.example/<hook>' } as Parameters<typeof endpointDisabledEmail>[0],
      'Every delivery has failed since 2026-01-01.',
      'https://tocsin.example',
    );
    expect(email.subject).toBe('Tocsin disabled your webhook endpoint https://r.example/<hook>');
    expect(email.text).toContain('Why: Every delivery has failed since 2026-01-01.');
    expect(email.text).toContain('POST https://tocsin.example/v1/webhooks/whk_1/recover');
    expect(email.html).toContain('https://r.example/&lt;hook&gt;');
  });
});

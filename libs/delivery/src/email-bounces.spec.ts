import {
  bouncedTooOften,
  isPermanentSmtpFailure,
  SettledEmailDelivery,
  suspensionReason,
} from './email-bounces';

const bounced = (statusCode = 550): SettledEmailDelivery => ({
  status: 'failed',
  statusCode,
  error: `${statusCode} no such mailbox; a permanent error`,
});
const DELIVERED: SettledEmailDelivery = { status: 'delivered', statusCode: 250, error: null };

describe('isPermanentSmtpFailure', () => {
  it.each([
    [550, true],
    [554, true],
    [500, true],
    [451, false],
    [421, false],
    [250, false],
    [null, false],
  ])('%j: %s', (code, expected) => {
    expect(isPermanentSmtpFailure(code)).toBe(expected);
  });
});

describe('bouncedTooOften', () => {
  it('suspends after three permanent failures in a row', () => {
    expect(bouncedTooOften([bounced(), bounced(553), bounced()])).toBe(true);
  });

  it('waits for the third', () => {
    expect(bouncedTooOften([])).toBe(false);
    expect(bouncedTooOften([bounced()])).toBe(false);
    expect(bouncedTooOften([bounced(), bounced()])).toBe(false);
  });

  it('starts the count again after a delivered email (550, 550, 250, 550 is one in a row)', () => {
    // Newest first: the 250 was the third latest.
    expect(bouncedTooOften([bounced(), DELIVERED, bounced(), bounced()])).toBe(false);
    expect(bouncedTooOften([bounced(), bounced(), DELIVERED])).toBe(false);
  });

  it('reads only the latest three: older failures before them do not matter', () => {
    expect(bouncedTooOften([bounced(), bounced(), bounced(), DELIVERED])).toBe(true);
    expect(bouncedTooOften([DELIVERED, bounced(), bounced(), bounced()])).toBe(false);
  });

  it('does not count failures that were not permanent (4xx retried out, no server reached)', () => {
    expect(bouncedTooOften([bounced(), bounced(451), bounced()])).toBe(false);
    expect(
      bouncedTooOften([bounced(), { status: 'failed', statusCode: null, error: 'ECONNREFUSED' }, bounced()]),
    ).toBe(false);
  });

  it('counts an SMS-style `sent` as a success, not a failure', () => {
    expect(bouncedTooOften([bounced(), { status: 'sent', statusCode: null, error: null }, bounced()])).toBe(
      false,
    );
  });
});

describe('suspensionReason', () => {
  it('says why, with the last answer of the server', () => {
    expect(suspensionReason([bounced(), bounced(), bounced()])).toBe(
      '3 permanent SMTP failures in a row; the last: 550 no such mailbox; a permanent error',
    );
    expect(suspensionReason([{ status: 'failed', statusCode: 550, error: null }])).toBe(
      '3 permanent SMTP failures in a row',
    );
  });
});

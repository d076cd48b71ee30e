import { WebhookTargetRefused } from './ssrf-guard';
import { describeSendError, parseRetryAfter } from './webhook-sender';

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');

  it.each([
    [undefined, null],
    ['', null],
    ['120', 120],
    [' 0 ', 0],
    [['30', '60'], 30],
    ['Thu, 01 Jan 2026 00:01:30 GMT', 90],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['soon', null],
    ['-5', null],
  ])('reads %j as %j seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});

describe('describeSendError', () => {
  const coded = (message: string, code: string, cause?: Error) =>
    Object.assign(new Error(message, { cause }), { code });

  it.each([
    [coded('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED'), 'connection refused'],
    [
      coded('fetch failed', 'UND_ERR_X', coded('Connect Timeout Error', 'UND_ERR_CONNECT_TIMEOUT')),
      'could not connect within 500 ms',
    ],
    [coded('Headers Timeout Error', 'UND_ERR_HEADERS_TIMEOUT'), 'no answer within 500 ms'],
    [coded('other side closed', 'UND_ERR_SOCKET'), 'connection closed before an answer'],
    [coded('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'TLS: self-signed certificate'],
    [
      new WebhookTargetRefused('x.test resolves to 10.0.0.1, a private address'),
      'x.test resolves to 10.0.0.1, a private address',
    ],
    [new Error('wrapped', { cause: new WebhookTargetRefused('refused here') }), 'refused here'],
    [coded('something odd', 'EODD'), 'something odd (EODD)'],
    [
      new Error('bad request to http://127.0.0.1:1/bot123:AAE-secret/sendMessage'),
      'bad request to http://127.0.0.1:1/bot123:[redacted]/sendMessage',
    ],
    ['a string', 'a string'],
  ])('describes %s as "%s"', (error, words) => {
    expect(describeSendError(error, 500)).toBe(words);
  });
});

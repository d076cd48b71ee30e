import { HEARTBEAT, parseAnnouncement, parseLastEventId, RETRY_FIELD, sseMessage } from './sse';
import { announcedEvent } from './testing/announced-event';

describe('sseMessage', () => {
  it('writes id (the outbox position), event type and the event JSON on one data line', () => {
    const announced = announcedEvent(42);
    announced.event.data.declaration.summary = 'Two lines:\nstay home.';
    const text = sseMessage(announced);
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['id: 42', 'event: threat_level.changed']);
    expect(lines[2].startsWith('data: ')).toBe(true);
    expect(JSON.parse(lines[2].slice('data: '.length))).toEqual(announced.event);
    expect(lines.slice(3)).toEqual(['', '']);
  });

  it('starts the stream with the reconnection delay and keeps it alive with a comment', () => {
    expect(RETRY_FIELD).toBe('retry: 3000\n\n');
    expect(HEARTBEAT).toBe(': heartbeat\n\n');
  });
});

describe('parseLastEventId', () => {
  it.each([
    ['17', 17],
    [' 17 ', 17],
    ['0', 0],
    ['999999999999999', 999999999999999],
  ])('reads %j as position %d', (text, position) => {
    expect(parseLastEventId(text)).toBe(position);
  });

  it.each(['', 'abc', '-1', '1.5', '1e3', '0x10', '1234567890123456'])('rejects %j', (text) => {
    expect(parseLastEventId(text)).toBeUndefined();
  });
});

describe('parseAnnouncement', () => {
  it('reads what the relay publishes', () => {
    const announced = announcedEvent(7, ['KZ-75']);
    expect(parseAnnouncement(JSON.stringify(announced))).toEqual(announced);
  });

  it.each([
    'not json',
    'null',
    '{}',
    JSON.stringify({ position: '7', event: announcedEvent(7).event }),
    JSON.stringify({ position: 0, event: announcedEvent(7).event }),
    JSON.stringify({ position: 7, event: { ...announcedEvent(7).event, type: 'other' } }),
    JSON.stringify({ position: 7, event: { type: 'threat_level.changed', data: {} } }),
  ])('ignores %s', (text) => {
    expect(parseAnnouncement(text)).toBeNull();
  });
});

import { catchUp } from './catch-up';
import { announcedEvent } from './testing/announced-event';

const positions = (events: { position: number }[]) => events.map((e) => e.position);
const events = (...ps: number[]) => ps.map((p) => announcedEvent(p));

describe('catchUp', () => {
  it('sends the backlog in its order, then the events held meanwhile', () => {
    expect(positions(catchUp(events(11, 12), events(13, 14), 10))).toEqual([11, 12, 13, 14]);
  });

  it('skips a held event the backlog already has: announced after it was read from the database', () => {
    expect(positions(catchUp(events(11, 12, 13), events(12, 13, 14), 10))).toEqual([11, 12, 13, 14]);
  });

  it('keeps the relay order, which is not position order: a scheduled change falls due with an old position', () => {
    expect(positions(catchUp(events(12, 5, 13), events(13, 6), 11))).toEqual([12, 5, 13, 6]);
  });

  it('never sends again the event the client last saw, nor an event announced twice', () => {
    expect(positions(catchUp([], events(10, 11, 11, 12), 10))).toEqual([11, 12]);
  });

  it('passes the held events through for a client with nothing to resume', () => {
    expect(positions(catchUp([], events(3, 4), null))).toEqual([3, 4]);
    expect(catchUp([], [], null)).toEqual([]);
  });
});

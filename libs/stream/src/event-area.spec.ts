import { eventConcernsArea } from './event-area';
import { announcedEvent } from './testing/announced-event';

const countrywide = announcedEvent(1, ['KZ']).event;
const almaty = announcedEvent(2, ['KZ-75']).event;
const almatyAndAstana = announcedEvent(3, ['KZ-71', 'KZ-75']).event;
const britain = announcedEvent(4, ['GB']).event;

describe('eventConcernsArea', () => {
  it.each([
    ['no area', undefined, [countrywide, almaty, almatyAndAstana, britain], []],
    ['a country: itself and its subdivisions', 'KZ', [countrywide, almaty, almatyAndAstana], [britain]],
    ['a subdivision: itself and its country', 'KZ-75', [countrywide, almaty, almatyAndAstana], [britain]],
    ['another subdivision: only its country', 'KZ-79', [countrywide], [almaty, almatyAndAstana, britain]],
    ['another country', 'GB', [britain], [countrywide, almaty, almatyAndAstana]],
    ['a country whose code prefixes nothing declared', 'KE', [], [countrywide, almaty, britain]],
  ])('gives a stream of %s exactly the events concerning it', (_name, area, concerning, others) => {
    for (const event of concerning) expect(eventConcernsArea(event, area)).toBe(true);
    for (const event of others) expect(eventConcernsArea(event, area)).toBe(false);
  });

  it('takes an event when any one of its changes concerns the area', () => {
    expect(eventConcernsArea(almatyAndAstana, 'KZ-71')).toBe(true);
    expect(eventConcernsArea(almatyAndAstana, 'KZ-19')).toBe(false);
  });
});

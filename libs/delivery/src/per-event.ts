import type { LevelChangedEvent } from '@tocsin/declarations';

/**
 * `make`, called once per event being sent: the rows of one batch share one payload object, so keyed by it
 * a value (an event's scheme, say) is made once per batch and forgotten with it.
 */
export function oncePerEvent<T>(make: (payload: LevelChangedEvent) => T): (payload: LevelChangedEvent) => T {
  const made = new WeakMap<LevelChangedEvent, T>();
  return (payload) => {
    if (!made.has(payload)) made.set(payload, make(payload));
    return made.get(payload) as T;
  };
}

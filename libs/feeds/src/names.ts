// The names documents show in a reader's language: a scheme's event, a level's, an area's.
import { areaName } from '@tocsin/areas';
import type { CapNames } from './cap-texts';

// Event and level names: the originals until the schemes' translations land.
export const LOCALISED_NAMES: CapNames = {
  event: (scheme) => scheme.event,
  levelName: (scheme, code) => scheme.levels.find((l) => l.code === code)?.name ?? null,
  areaName: (area, language) => areaName(area.code, language),
};

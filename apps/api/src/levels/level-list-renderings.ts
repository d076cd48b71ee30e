// The bodies of GET /v1/levels, rendered once per list, media type and language of area names: the list of
// now is shared by every request until it changes (LevelsService.current), so its JSON, CSV and their ETags
// (one per representation) are too.
import { areaNamesLanguage, localisedArea } from '@tocsin/areas';
import type { LevelList } from '@tocsin/declarations';
import { CSV_MEDIA_TYPE, renderLevelsCsv, strongEtag } from '@tocsin/feeds';
import { LevelListDto, renderEffectiveLevel } from './level.dto';

export const LEVEL_LIST_MEDIA_TYPES = ['application/json', CSV_MEDIA_TYPE] as const;
export type LevelListMediaType = (typeof LEVEL_LIST_MEDIA_TYPES)[number];

export interface RenderedLevelList {
  /**
   * The body as UTF-8 bytes: a string would be encoded again on every response (and its length measured for
   * Content-Length), which costs more than the rest of the request for a list of a few hundred areas.
   */
  body: Buffer;
  contentType: string;
  etag: string;
}

/** `lang`: the language of area names, as areaNamesLanguage gives it (`en`, `kk`, `ru`). */
export function renderLevelList(
  list: LevelList,
  mediaType: LevelListMediaType,
  lang = 'en',
): RenderedLevelList {
  const items = list.items.map(({ area, level }) => ({ area: localisedArea(area, lang), level }));
  const text =
    mediaType === CSV_MEDIA_TYPE
      ? renderLevelsCsv(items)
      : JSON.stringify({
          items: items.map(({ area, level }) => renderEffectiveLevel(area, level)),
          nextCursor: null,
        } satisfies LevelListDto);
  return {
    body: Buffer.from(text, 'utf8'),
    contentType: `${mediaType}; charset=utf-8`,
    etag: strongEtag(text),
  };
}

/**
 * Renderings keyed by the list they render, so they are dropped with it: at most one per media type and
 * language of names. Any tag maps to one of the few languages areas have names in (`ru-RU` and `ru` share
 * one rendering, `fr` shares English's), so a client cycling through tags cannot grow the cache.
 */
export class LevelListRenderings {
  private readonly byList = new WeakMap<LevelList, Map<string, RenderedLevelList>>();

  of(list: LevelList, mediaType: LevelListMediaType, lang = 'en'): RenderedLevelList {
    const namesLanguage = areaNamesLanguage(lang);
    const key = `${mediaType} ${namesLanguage}`;
    let renderings = this.byList.get(list);
    if (!renderings) this.byList.set(list, (renderings = new Map()));
    let rendered = renderings.get(key);
    if (!rendered) renderings.set(key, (rendered = renderLevelList(list, mediaType, namesLanguage)));
    return rendered;
  }
}

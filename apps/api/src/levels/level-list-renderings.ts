// The bodies of GET /v1/levels, rendered once per list and media type: the list of now is shared by every
// request until it changes (LevelsService.current), so its JSON, CSV and their ETags are too.
import type { LevelList } from '@tocsin/declarations';
import { CSV_MEDIA_TYPE, renderLevelsCsv, strongEtag } from '@tocsin/feeds';
import { LevelListDto, renderEffectiveLevel } from './level.dto';

export const LEVEL_LIST_MEDIA_TYPES = ['application/json', CSV_MEDIA_TYPE] as const;
export type LevelListMediaType = (typeof LEVEL_LIST_MEDIA_TYPES)[number];

export interface RenderedLevelList {
  body: string;
  contentType: string;
  etag: string;
}

export function renderLevelList(list: LevelList, mediaType: LevelListMediaType): RenderedLevelList {
  const body =
    mediaType === CSV_MEDIA_TYPE
      ? renderLevelsCsv(list.items)
      : JSON.stringify({
          items: list.items.map(({ area, level }) => renderEffectiveLevel(area, level)),
          nextCursor: null,
        } satisfies LevelListDto);
  return { body, contentType: `${mediaType}; charset=utf-8`, etag: strongEtag(body) };
}

/** Renderings keyed by the list they render, so they are dropped with it: at most one per media type. */
export class LevelListRenderings {
  private readonly byList = new WeakMap<LevelList, Map<LevelListMediaType, RenderedLevelList>>();

  of(list: LevelList, mediaType: LevelListMediaType): RenderedLevelList {
    let renderings = this.byList.get(list);
    if (!renderings) this.byList.set(list, (renderings = new Map()));
    let rendered = renderings.get(mediaType);
    if (!rendered) renderings.set(mediaType, (rendered = renderLevelList(list, mediaType)));
    return rendered;
  }
}

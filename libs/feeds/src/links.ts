// The public URLs that documents link to, all under PUBLIC_URL; they must match the API's routes.

export const declarationUrl = (publicUrl: string, id: string): string =>
  `${publicUrl}/v1/declarations/${encodeURIComponent(id)}`;

export const capUrl = (publicUrl: string, id: string): string => `${declarationUrl(publicUrl, id)}/cap`;

export const schemeUrl = (publicUrl: string, id: string): string =>
  `${publicUrl}/v1/schemes/${encodeURIComponent(id)}`;

/** The Atom feed, of everything or of one area, in the language asked for (none: the default). */
export function declarationsFeedUrl(publicUrl: string, query: { area?: string; lang?: string } = {}): string {
  const params = new URLSearchParams();
  if (query.area) params.set('area', query.area);
  if (query.lang) params.set('lang', query.lang);
  const search = params.toString();
  return `${publicUrl}/v1/feeds/declarations.atom${search ? `?${search}` : ''}`;
}

// The public URLs that documents link to, all under PUBLIC_URL; they must match the API's routes.

export const declarationUrl = (publicUrl: string, id: string): string =>
  `${publicUrl}/v1/declarations/${encodeURIComponent(id)}`;

export const capUrl = (publicUrl: string, id: string): string => `${declarationUrl(publicUrl, id)}/cap`;

export const schemeUrl = (publicUrl: string, id: string): string =>
  `${publicUrl}/v1/schemes/${encodeURIComponent(id)}`;

/** The Atom feed, of everything or of one area. */
export const declarationsFeedUrl = (publicUrl: string, areaCode?: string): string =>
  `${publicUrl}/v1/feeds/declarations.atom${areaCode ? `?area=${encodeURIComponent(areaCode)}` : ''}`;

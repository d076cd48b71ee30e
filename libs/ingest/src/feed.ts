// What a source URL answers: an Atom feed or an RSS 2.0 feed whose entries link CAP documents, or one CAP
// document itself. Pure: the caller fetches; this reads and resolves the links.
import { CapAlert, capAlertFromElement, capVersionOf, Parsed } from './cap-document';
import { childNamed, childrenNamed, childText, parseXmlTree, XmlElement } from './xml-tree';

export interface FeedEntry {
  /** Absolute http(s) URL of the entry's CAP document. */
  url: string;
  id: string | null;
  /** As written (Atom <updated>/<published>, RSS <pubDate>). */
  updated: string | null;
}

export type ParsedFeed = { kind: 'atom' | 'rss'; entries: FeedEntry[] } | { kind: 'cap'; alert: CapAlert };

const ATOM = 'http://www.w3.org/2005/Atom';
const XML = 'http://www.w3.org/XML/1998/namespace';
const CAP_MEDIA_TYPE = /^application\/cap\+xml\b/i;

/**
 * An Atom feed, an RSS 2.0 feed (entries' links to CAP documents), or one CAP document itself. Relative links
 * resolve against xml:base and then baseUrl (the URL the feed was fetched from); an entry without an http(s)
 * link is left out.
 */
export function parseFeed(
  xml: string | Buffer,
  options: { maxBytes: number; baseUrl: string; maxDepth?: number },
): Parsed<ParsedFeed> {
  const tree = parseXmlTree(xml, options);
  if (!tree.ok) return tree;
  const root = tree.value;
  if (capVersionOf(root)) {
    const alert = capAlertFromElement(root);
    return alert.ok ? { ok: true, value: { kind: 'cap', alert: alert.value } } : alert;
  }
  if (root.name === 'feed' && root.ns === ATOM) {
    const base = withBase(options.baseUrl, root);
    const entries = childrenNamed(root, 'entry').flatMap((entry) => atomEntry(entry, withBase(base, entry)));
    return { ok: true, value: { kind: 'atom', entries } };
  }
  if (root.name === 'rss' && root.ns === '') {
    const channel = childNamed(root, 'channel');
    if (!channel) return { ok: false, reason: 'the RSS document has no <channel>' };
    const entries = childrenNamed(channel, 'item').flatMap((item) => rssItem(item, options.baseUrl));
    return { ok: true, value: { kind: 'rss', entries } };
  }
  const name = root.ns ? `<${root.name}> in namespace ${root.ns}` : `<${root.name}>`;
  return {
    ok: false,
    reason: `the root element is ${name}, not an Atom <feed>, an RSS 2.0 <rss> or a CAP <alert>`,
  };
}

function atomEntry(entry: XmlElement, base: string | null): FeedEntry[] {
  const links = childrenNamed(entry, 'link').filter((link) => link.attributes.href?.trim());
  const rel = (link: XmlElement): string => link.attributes.rel?.trim() || 'alternate';
  // The link that says it is CAP, else the entry's alternate, else whatever link it has.
  const chosen =
    links.find((link) => CAP_MEDIA_TYPE.test(link.attributes.type ?? '')) ??
    links.find((link) => rel(link) === 'alternate') ??
    links[0];
  const url = chosen && absoluteHttpUrl(chosen.attributes.href!, base);
  if (!url) return [];
  return [
    {
      url,
      id: childText(entry, 'id'),
      updated: childText(entry, 'updated') ?? childText(entry, 'published'),
    },
  ];
}

function rssItem(item: XmlElement, base: string): FeedEntry[] {
  const enclosures = childrenNamed(item, 'enclosure').filter((e) => e.attributes.url?.trim());
  const guid = childNamed(item, 'guid');
  const guidIsLink = guid !== undefined && guid.attributes.isPermaLink?.trim() !== 'false';
  // An enclosure typed CAP is unambiguous; <link> is usually the document, sometimes a page about it.
  const candidates = [
    enclosures.find((e) => CAP_MEDIA_TYPE.test(e.attributes.type ?? ''))?.attributes.url,
    childText(item, 'link'),
    enclosures[0]?.attributes.url,
    guidIsLink ? guid.text.trim() : undefined,
  ];
  for (const candidate of candidates) {
    const url = candidate ? absoluteHttpUrl(candidate, base) : null;
    if (url) return [{ url, id: guid?.text.trim() || null, updated: childText(item, 'pubDate') }];
  }
  return [];
}

/** The element's xml:base resolved against the base in force, or that base. */
function withBase(base: string | null, element: XmlElement): string | null {
  const own = element.attributes[`{${XML}}base`]?.trim();
  return (own && resolveUrl(own, base)?.href) || base;
}

/** Only http(s): a feed must not make the poller read file:, data: or anything else. */
function absoluteHttpUrl(href: string, base: string | null): string | null {
  const url = resolveUrl(href.trim(), base);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? url.href : null;
}

/** An absolute href as it is (whatever the base), a relative one against the base; null when neither works. */
function resolveUrl(href: string, base: string | null): URL | null {
  if (URL.canParse(href)) return new URL(href);
  return base !== null && URL.canParse(href, base) ? new URL(href, base) : null;
}

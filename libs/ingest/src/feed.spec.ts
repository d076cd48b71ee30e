import { parseFeed } from './feed';
import { readFixture } from './testing/fixtures';

const options = { maxBytes: 1_000_000, baseUrl: 'https://alerts.example.kz/cap/feed.atom' };
const atom = (entries: string, feedAttributes = ''): string =>
  `<feed xmlns="http://www.w3.org/2005/Atom"${feedAttributes}><id>f</id>${entries}</feed>`;

describe('parseFeed', () => {
  it('reads the Atom fixture: the CAP-typed link first, relative links resolved, an entry without an http(s) link left out', () => {
    expect(parseFeed(readFixture('alerts.atom.xml'), options)).toEqual({
      ok: true,
      value: {
        kind: 'atom',
        entries: [
          {
            url: 'https://alerts.example.kz/cap/kz-cancel.cap.xml',
            id: 'urn:cap:atc@knb.kz:KZ-KNB-2026-0150',
            updated: '2026-01-12T18:45:00+05:00',
          },
          {
            url: 'https://alerts.example.kz/cap/docs/kz-update.cap.xml',
            id: 'urn:cap:atc@knb.kz:KZ-KNB-2026-0143',
            updated: '2026-01-08T12:00:00+05:00',
          },
          {
            url: 'https://mirror.example.kz/cap/kz-alert.cap.xml',
            id: 'urn:cap:atc@knb.kz:KZ-KNB-2026-0142',
            updated: '2026-01-05T09:30:00+05:00',
          },
        ],
      },
    });
  });

  it('reads the RSS fixture: a typed enclosure before <link>, <link> resolved, a permalink guid, an item without a link left out', () => {
    expect(
      parseFeed(readFixture('alerts.rss.xml'), { ...options, baseUrl: 'https://alerts.example.org/rss' }),
    ).toEqual({
      ok: true,
      value: {
        kind: 'rss',
        entries: [
          {
            url: 'https://alerts.example.org/cap/kz-update.cap.xml',
            id: 'KZ-KNB-2026-0143',
            updated: 'Thu, 08 Jan 2026 12:00:00 +0500',
          },
          {
            url: 'https://cdn.example.org/cap/kz-alert.cap.xml',
            id: 'KZ-KNB-2026-0142',
            updated: 'Mon, 05 Jan 2026 09:30:00 +0500',
          },
          {
            url: 'https://alerts.example.org/cap/old.cap.xml',
            id: 'https://alerts.example.org/cap/old.cap.xml',
            updated: null,
          },
        ],
      },
    });
  });

  it.each<[string, string, string]>([
    [
      'rel=alternate over other rels',
      '<link rel="self" href="/s"/><link rel="alternate" href="/a"/>',
      'https://alerts.example.kz/a',
    ],
    [
      'a link with no rel is an alternate',
      '<link rel="via" href="/v"/><link href="/a"/>',
      'https://alerts.example.kz/a',
    ],
    [
      'any link when there is no alternate',
      '<link rel="related" href="x.xml"/>',
      'https://alerts.example.kz/cap/x.xml',
    ],
    [
      'the CAP type over alternate',
      '<link href="/page"/><link type="application/cap+xml; charset=utf-8" href="/c"/>',
      'https://alerts.example.kz/c',
    ],
    ['an absolute link as it is', '<link href="http://other.example/c.xml"/>', 'http://other.example/c.xml'],
  ])('Atom: %s', (_name, links, url) => {
    const parsed = parseFeed(atom(`<entry><id>e</id>${links}</entry>`), options);
    expect(parsed.ok && parsed.value.kind === 'atom' && parsed.value.entries.map((e) => e.url)).toEqual([
      url,
    ]);
  });

  it('Atom: xml:base on the feed and on the entry', () => {
    const parsed = parseFeed(
      atom(
        '<entry xml:base="docs/"><link href="a.xml"/></entry><entry><link href="b.xml"/></entry>',
        ' xml:base="https://base.example/x/"',
      ),
      options,
    );
    expect(parsed.ok && parsed.value.kind === 'atom' && parsed.value.entries.map((e) => e.url)).toEqual([
      'https://base.example/x/docs/a.xml',
      'https://base.example/x/b.xml',
    ]);
  });

  it.each(['file:///etc/hostname', 'data:text/xml,%3Calert/%3E', 'javascript:alert(1)', 'ftp://x.example/a'])(
    'leaves out an entry linking %s',
    (href) => {
      const parsed = parseFeed(atom(`<entry><link href="${href}"/></entry>`), options);
      expect(parsed).toEqual({ ok: true, value: { kind: 'atom', entries: [] } });
    },
  );

  it('reads a CAP document given as the feed itself', () => {
    const parsed = parseFeed(readFixture('kz-alert.cap.xml'), options);
    expect(parsed.ok && parsed.value.kind === 'cap' && parsed.value.alert.identifier).toBe(
      'KZ-KNB-2026-0142',
    );
  });

  it.each<[string, string | Buffer, RegExp]>([
    ['the XXE document', readFixture('xxe.cap.xml'), /DOCTYPE/],
    [
      'a feed with a DOCTYPE',
      `<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/hostname">]>${atom('')}`,
      /DOCTYPE/,
    ],
    [
      'an invalid CAP document',
      '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
      /the alert has no <identifier>/,
    ],
    ['RSS without a channel', '<rss version="2.0"/>', /no <channel>/],
    [
      'RSS 1.0 (RDF)',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
      /root element is <RDF> in namespace .*not an Atom <feed>, an RSS 2.0 <rss> or a CAP <alert>/,
    ],
    ['an HTML page', '<html><body>hi</body></html>', /root element is <html>, not an Atom/],
    ['garbage', 'not xml', /not well-formed XML/],
  ])('refuses %s', (_name, input, reason) => {
    const parsed = parseFeed(input, options);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('keeps absolute links and leaves out relative ones when the base is no URL, without throwing', () => {
    const parsed = parseFeed(
      atom('<entry><link href="rel.xml"/></entry><entry><link href="https://a.example/x.xml"/></entry>'),
      {
        ...options,
        baseUrl: 'not a url',
      },
    );
    expect(parsed.ok && parsed.value.kind === 'atom' && parsed.value.entries.map((e) => e.url)).toEqual([
      'https://a.example/x.xml',
    ]);
  });

  it('answers random bytes with a reason, never a throw', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const bytes = Buffer.from(Array.from({ length: 200 }, (_, i) => (seed * 7919 + i * 104729) % 256));
      const parsed = parseFeed(bytes, options);
      expect(parsed.ok).toBe(false);
    }
  });

  it('refuses a feed over maxBytes', () => {
    expect(parseFeed(atom(''), { ...options, maxBytes: 10 }).ok).toBe(false);
  });
});

import { parseFeed } from '@rowanmanning/feed-parser';
import type { Declaration } from '@tocsin/declarations';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { AtomFeedContext, entryId, inPublicFeed, lastChangeOf, renderAtomFeed } from './atom';

const PUBLIC_URL = 'https://alerts.example.org';
const CONTEXT: AtomFeedContext = {
  publicUrl: PUBLIC_URL,
  selfUrl: `${PUBLIC_URL}/v1/feeds/declarations.atom?area=KZ`,
  title: 'Tocsin: threat-level declarations for Kazakhstan (KZ)',
  language: 'en',
};

function declaration(id: string, overrides: Partial<Declaration> = {}): Declaration {
  return {
    id,
    status: 'active',
    schemeId: 'kz-terror',
    level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
    areaCodes: ['KZ'],
    headline: `Headline of ${id}`,
    summary: `Summary of ${id}.`,
    measures: [],
    language: 'en',
    translations: {},
    authority: 'Anti-Terrorist Centre',
    sourceUrl: null,
    effectiveAt: new Date('2022-01-06T18:00:00Z'),
    expiresAt: null,
    createdAt: new Date('2022-01-06T18:00:00.250Z'),
    createdBy: 'duty desk',
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    ...overrides,
  };
}

const newer = declaration('dcl_2', {
  headline: 'Orange <for> Almaty & "region"',
  level: { code: 'orange', rank: 2, name: 'High', color: '#f57c00' },
  createdAt: new Date('2022-01-13T06:00:00Z'),
});
const cancelled = declaration('dcl_1', {
  cancelledAt: new Date('2022-01-20T10:00:00Z'),
  cancelReason: 'Wrong region',
});

describe('renderAtomFeed', () => {
  it('writes a feed that a standard parser reads: id, title, self link, updated at its newest change', () => {
    const feed = parseFeed(renderAtomFeed(CONTEXT, [newer, cancelled]));
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe(CONTEXT.title);
    expect(feed.self).toBe(CONTEXT.selfUrl);
    expect(feed.updated).toEqual(new Date('2022-01-20T10:00:00Z'));
    expect(feed.items).toHaveLength(2);
  });

  it('gives each entry its id, headline, summary, times and author, in the order given', () => {
    const [first, second] = parseFeed(renderAtomFeed(CONTEXT, [newer, cancelled])).items;
    expect(first).toMatchObject({
      id: 'tag:alerts.example.org,2022-01-13:declarations/dcl_2',
      title: 'Orange <for> Almaty & "region"',
      description: 'Summary of dcl_2.',
      published: new Date('2022-01-13T06:00:00Z'),
      updated: new Date('2022-01-13T06:00:00Z'),
      authors: [{ name: 'Anti-Terrorist Centre', email: null, url: null }],
    });
    expect(first.categories).toEqual([
      { term: 'orange', label: 'High', url: `${PUBLIC_URL}/v1/schemes/kz-terror` },
    ]);
    expect(second).toMatchObject({
      id: 'tag:alerts.example.org,2022-01-06:declarations/dcl_1',
      description: 'Cancelled: Wrong region. Summary of dcl_1.',
      updated: new Date('2022-01-20T10:00:00Z'),
    });
  });

  it('links each entry to its CAP message first (the alternate a reader follows), then its JSON', () => {
    const xml = renderAtomFeed(CONTEXT, [newer]);
    expect(parseFeed(xml).items[0].url).toBe(`${PUBLIC_URL}/v1/declarations/dcl_2/cap`);
    expect(xml).toContain(
      `<link rel="alternate" type="application/cap+xml" href="${PUBLIC_URL}/v1/declarations/dcl_2/cap"/>`,
    );
    expect(xml).toContain(
      `<link rel="alternate" type="application/json" href="${PUBLIC_URL}/v1/declarations/dcl_2"/>`,
    );
  });

  it('escapes markup in headlines rather than letting it through', () => {
    const xml = renderAtomFeed(CONTEXT, [newer]);
    expect(xml).toContain('<title>Orange &lt;for&gt; Almaty &amp; "region"</title>');
  });

  it('is the same document for the same declarations, whenever it is rendered', () => {
    expect(renderAtomFeed(CONTEXT, [newer, cancelled])).toBe(renderAtomFeed(CONTEXT, [newer, cancelled]));
  });

  it('is a valid empty feed when there is nothing to list', () => {
    const xml = renderAtomFeed(CONTEXT, []);
    const feed = parseFeed(xml);
    expect(feed.items).toEqual([]);
    expect(feed.updated).toEqual(new Date(0));
    expect(feed.authors).toEqual([{ name: 'Tocsin', email: null, url: null }]);
  });

  it('carries exactly the elements RFC 4287 requires once, in the feed and in every entry', () => {
    const root = create(renderAtomFeed(CONTEXT, [newer, cancelled])).root();
    const childNames = (node: XMLBuilder) => {
      const names: string[] = [];
      node.each((child) => void names.push(child.node.nodeName), false, false);
      return names;
    };
    const count = (names: string[], name: string) => names.filter((n) => n === name).length;
    const feedChildren = childNames(root);
    for (const required of ['id', 'title', 'updated', 'author'])
      expect(count(feedChildren, required)).toBe(1);
    const entries: XMLBuilder[] = [];
    root.each((child) => void (child.node.nodeName === 'entry' && entries.push(child)), false, false);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      const names = childNames(entry);
      for (const required of ['id', 'title', 'updated', 'summary']) expect(count(names, required)).toBe(1);
      expect(count(names, 'link')).toBe(2);
    }
  });
});

/** An element as the parser gives it (the DOM's Element, without the DOM's types here). */
interface Attributed {
  nodeName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}

describe('renderAtomFeed in a language', () => {
  const translated = declaration('dcl_3', {
    headline: 'Critical (red) level',
    summary: 'Repeat attacks are possible.',
    translations: {
      ru: { headline: 'Критический («красный») уровень', summary: 'Возможны повторные теракты.' },
      kk: { headline: 'Қызыл деңгей' },
    },
  });
  const russian: AtomFeedContext = {
    ...CONTEXT,
    selfUrl: `${PUBLIC_URL}/v1/feeds/declarations.atom?area=KZ&lang=ru`,
    title: 'Tocsin: объявления об уровнях угрозы — Казахстан (KZ)',
    language: 'ru',
    levelName: (d) => ({ red: 'критический', orange: 'высокий' })[d.level.code] ?? d.level.name,
    cancelledNote: (reason) => (reason ? `Отменено: ${reason}.` : 'Отменено.'),
  };
  /** Each entry's title and summary with the xml:lang each carries, if any. */
  const entriesOf = (xml: string) => {
    const entries: Record<string, string | undefined>[] = [];
    create(xml)
      .root()
      .each(
        (entry) => {
          if (entry.node.nodeName !== 'entry') return;
          const seen: Record<string, string | undefined> = {};
          entry.each(
            (child) => {
              const element = child.node as unknown as Attributed;
              if (element.nodeName !== 'title' && element.nodeName !== 'summary') return;
              seen[element.nodeName] = element.textContent ?? '';
              seen[`${element.nodeName}Lang`] = element.getAttribute('xml:lang') ?? undefined;
            },
            false,
            false,
          );
          entries.push(seen);
        },
        false,
        false,
      );
    return entries;
  };

  it('says its language with xml:lang on the feed', () => {
    const root = create(renderAtomFeed(russian, [])).root().node as unknown as Attributed;
    expect(root.getAttribute('xml:lang')).toBe('ru');
    expect(renderAtomFeed(CONTEXT, [])).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
  });

  it("gives each entry's title and summary in the feed's language where the declaration has it", () => {
    expect(entriesOf(renderAtomFeed(russian, [translated]))).toEqual([
      {
        title: 'Критический («красный») уровень',
        titleLang: undefined,
        summary: 'Возможны повторные теракты.',
        summaryLang: undefined,
      },
    ]);
  });

  it('falls back to the original field by field, and says the language of what is not in the feed’s', () => {
    const kazakh = { ...russian, language: 'kk' };
    expect(entriesOf(renderAtomFeed(kazakh, [translated, newer]))).toEqual([
      {
        title: 'Қызыл деңгей',
        titleLang: undefined,
        summary: 'Repeat attacks are possible.',
        summaryLang: undefined,
      },
      {
        title: 'Orange <for> Almaty & "region"',
        titleLang: 'en',
        summary: 'Summary of dcl_2.',
        summaryLang: 'en',
      },
    ]);
  });

  it('names levels and cancellations in its language', () => {
    const [first, second] = parseFeed(renderAtomFeed(russian, [newer, cancelled])).items;
    expect(first.categories).toEqual([
      { term: 'orange', label: 'высокий', url: `${PUBLIC_URL}/v1/schemes/kz-terror` },
    ]);
    expect(second.description).toBe('Отменено: Wrong region. Summary of dcl_1.');
  });

  it('marks a title in another language than the feed’s', () => {
    const xml = renderAtomFeed({ ...CONTEXT, language: 'fr', titleLanguage: 'en' }, []);
    expect(xml).toContain(
      '<title xml:lang="en">Tocsin: threat-level declarations for Kazakhstan (KZ)</title>',
    );
  });

  it('is another document in another language', () => {
    expect(renderAtomFeed(russian, [translated])).not.toBe(renderAtomFeed(CONTEXT, [translated]));
  });
});

describe('lastChangeOf', () => {
  it('is the newest publication or cancellation, or null for none', () => {
    expect(lastChangeOf([newer, cancelled])).toEqual(new Date('2022-01-20T10:00:00Z'));
    expect(lastChangeOf([newer])).toEqual(new Date('2022-01-13T06:00:00Z'));
    expect(lastChangeOf([])).toBeNull();
  });
});

describe('entryId', () => {
  it('is a tag URI that does not change when the declaration is cancelled', () => {
    expect(entryId(PUBLIC_URL, cancelled)).toBe(entryId(PUBLIC_URL, { ...cancelled, cancelledAt: null }));
    expect(entryId('http://localhost:3000', newer)).toBe('tag:localhost,2022-01-13:declarations/dcl_2');
  });
});

describe('inPublicFeed', () => {
  it.each([
    [{}, true],
    [{ mode: 'actual', approval: null, status: 'active' }, true],
    [{ mode: 'actual', approval: 'approved', status: 'active' }, true],
    [{ mode: 'actual', approval: 'urgent', status: 'scheduled' }, true],
    [{ mode: 'actual', status: 'cancelled' }, true],
    [{ mode: 'exercise', status: 'active' }, false],
    [{ mode: 'test', status: 'active' }, false],
    [{ mode: 'actual', approval: 'pending', status: 'pending_approval' }, false],
    [{ mode: 'actual', approval: 'rejected', status: 'rejected' }, false],
  ])('of %j is %s', (declaration, shown) => {
    expect(inPublicFeed(declaration)).toBe(shown);
  });
});

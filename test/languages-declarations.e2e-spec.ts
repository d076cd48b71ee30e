import { AddressInfo } from 'node:net';
import { parseFeed } from '@rowanmanning/feed-parser';
import { tables } from '@tocsin/database';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { create } from 'xmlbuilder2';
import { capSchemaProblems } from '@tocsin/ingest';
import { SseClient } from './support/sse-client';
import { createKey, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const TRANSLATIONS = {
  ru: {
    headline: 'Критический («красный») уровень террористической опасности',
    summary: 'Возможны повторные теракты.',
    measures: ['Возможен досмотр граждан и транспорта.'],
  },
  kk: {
    headline: 'Террористік қауіптің сыни («қызыл») деңгейі',
    summary: 'Қайталама террористік актілер болуы мүмкін.',
    measures: ['Азаматтар мен көліктерді тексеру мүмкін.'],
  },
};

const declarationBody = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ'],
  headline: 'Critical (red) terrorism threat level',
  summary: 'Repeat attacks are possible.',
  measures: ['People and vehicles may be searched.'],
  authority: 'Anti-Terrorist Centre',
};

interface Event {
  data: {
    cause: string;
    declaration: { id: string; language: string; translations: unknown; headline: string };
  };
}

/** Every element called `name`, with its text and its xml:lang if it has one, in document order. */
function elementsOf(xml: string, name: string): { text: string; lang: string | null }[] {
  const found: { text: string; lang: string | null }[] = [];
  create(xml)
    .root()
    .each(
      (node) => {
        const element = node.node as unknown as {
          nodeName: string;
          textContent: string | null;
          getAttribute(name: string): string | null;
        };
        if (element.nodeName === name)
          found.push({ text: element.textContent ?? '', lang: element.getAttribute('xml:lang') });
      },
      true,
      true,
    );
  return found;
}
const textsOf = (xml: string, name: string) => elementsOf(xml, name).map((e) => e.text);

/** Row counts of what publishing writes: a refused request must change none of them. */
async function counts(test: TestApp): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const [name, table] of Object.entries({
    declarations: tables.declarations,
    declarationAreas: tables.declarationAreas,
    outbox: tables.outbox,
    areaSequences: tables.areaSequences,
  })) {
    const [row] = await test.db.select({ n: sql<number>`count(*)::int` }).from(table);
    result[name] = row.n;
  }
  return result;
}

describe('declarations in several languages, over HTTP and out to webhooks, SSE, CAP and Atom', () => {
  let test: TestApp;
  let receiver: WebhookReceiver;
  let stream: SseClient;
  let publisher: string;
  let secret: string;
  let published: Record<string, unknown> & { id: string };

  const getText = (path: string, headers: Record<string, string> = {}) =>
    test.http
      .get(path)
      .set(headers)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
  /** The webhook bodies received so far, parsed, after checking each one's signature. */
  const webhookEvents = (): Event[] =>
    receiver.at('/hook').map((r) => {
      new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
      return JSON.parse(r.body) as Event;
    });

  beforeAll(async () => {
    [test, receiver] = await Promise.all([startTestApp('postgres'), WebhookReceiver.start()]);
    await test.app.listen(0, '127.0.0.1');
    publisher = await createKey(test, 'publisher', 'KNB duty desk');
    const endpoint = await test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ url: receiver.url('/hook'), areas: ['KZ'] })
      .expect(201);
    secret = endpoint.body.secret as string;
    const port = (test.app.getHttpServer().address() as AddressInfo).port;
    stream = await SseClient.connect(`http://127.0.0.1:${port}/v1/stream?area=KZ`);
    // Tags in any case are stored canonical.
    published = (
      await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({
          ...declarationBody,
          language: 'EN',
          translations: { RU: TRANSLATIONS.ru, kk: TRANSLATIONS.kk },
        })
        .expect(201)
    ).body;
  });
  afterAll(async () => {
    stream?.close();
    await test?.close();
    await receiver?.close();
  });

  it('echoes language and translations in canonical form when publishing, reading one and listing', async () => {
    expect(published).toMatchObject({
      language: 'en',
      translations: TRANSLATIONS,
      headline: declarationBody.headline,
    });
    const one = await test.http.get(`/v1/declarations/${published.id}`).expect(200);
    expect(one.body).toEqual(published);
    const list = await test.http.get('/v1/declarations?area=KZ').expect(200);
    expect(list.body.items.find((d: { id: string }) => d.id === published.id)).toEqual(published);
  });

  it('defaults the language to English with no translations', async () => {
    const plain = await test.http
      .post('/v1/declarations')
      .set(test.as(publisher))
      .send({ ...declarationBody, areas: ['KG'], scheme: 'travel-advisory', level: '2' })
      .expect(201);
    expect(plain.body).toMatchObject({ language: 'en', translations: {} });
  });

  it('sends language and translations in the signed webhook payload', async () => {
    await receiver.waitFor(() => webhookEvents().some((e) => e.data.declaration.id === published.id));
    const event = webhookEvents().find((e) => e.data.declaration.id === published.id)!;
    expect(event.data.declaration).toMatchObject({ language: 'en', translations: TRANSLATIONS });
  });

  it('sends language and translations in the SSE data', async () => {
    const streamed = () => stream.events.map((e) => JSON.parse(e.data) as Event);
    const ours = () => streamed().find((e) => e.data.declaration.id === published.id);
    await stream.until(() => ours() !== undefined, 10_000, 'the declaration’s event');
    expect(ours()!.data.declaration).toMatchObject({ language: 'en', translations: TRANSLATIONS });
  });

  it('writes one CAP info per language, the original first, each valid and in its language', async () => {
    const xml = (await getText(`/v1/declarations/${published.id}/cap`).expect(200)).body as string;
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
    expect(textsOf(xml, 'info')).toHaveLength(3);
    expect(textsOf(xml, 'language')).toEqual(['en', 'kk', 'ru']);
    expect(textsOf(xml, 'headline')).toEqual([
      declarationBody.headline,
      TRANSLATIONS.kk.headline,
      TRANSLATIONS.ru.headline,
    ]);
    expect(textsOf(xml, 'description')).toEqual([
      declarationBody.summary,
      TRANSLATIONS.kk.summary,
      TRANSLATIONS.ru.summary,
    ]);
    expect(textsOf(xml, 'areaDesc')).toEqual(['Kazakhstan', 'Қазақстан', 'Казахстан']);
    expect(textsOf(xml, 'event')).toEqual([
      'terrorism threat level',
      'террористік қауіп деңгейі',
      'уровень террористической опасности',
    ]);
    expect(textsOf(xml, 'value').filter((v) => v.includes('(') || v === 'Critical')).toEqual([
      'Critical',
      'қатерлі («қызыл»)',
      'критический («красный»)',
    ]);
    expect(textsOf(xml, 'instruction')).toEqual([
      ...declarationBody.measures,
      ...TRANSLATIONS.kk.measures,
      ...TRANSLATIONS.ru.measures,
    ]);
  });

  it('gives the Atom feed in Russian with ?lang=ru, marked xml:lang="ru"', async () => {
    const response = await getText('/v1/feeds/declarations.atom?area=KZ&lang=ru').expect(200);
    const xml = response.body as string;
    expect(elementsOf(xml, 'feed')[0].lang).toBe('ru');
    const feed = parseFeed(xml);
    expect(feed.self).toBe('http://localhost:3000/v1/feeds/declarations.atom?area=KZ&lang=ru');
    expect(feed.title).toBe('Tocsin: объявления об уровнях угрозы — Казахстан (KZ)');
    const entry = feed.items.find((item) => item.url?.includes(published.id))!;
    expect(entry.title).toBe(TRANSLATIONS.ru.headline);
    expect(entry.description).toBe(TRANSLATIONS.ru.summary);
    expect(entry.categories.map((c) => c.label)).toEqual(['критический («красный»)']);
    // In the feed's language: no xml:lang of its own.
    expect(elementsOf(xml, 'title').find((t) => t.text === TRANSLATIONS.ru.headline)?.lang).toBeNull();
  });

  it('gives the entries in English by default, and a tag in any case as its canonical form', async () => {
    const titleIn = async (query: string) => {
      const xml = (await getText(`/v1/feeds/declarations.atom?area=KZ${query}`).expect(200)).body as string;
      const entry = parseFeed(xml).items.find((item) => item.url?.includes(published.id))!;
      return { lang: elementsOf(xml, 'feed')[0].lang, title: entry.title };
    };
    expect(await titleIn('')).toEqual({ lang: 'en', title: declarationBody.headline });
    expect(await titleIn('&lang=KK')).toEqual({ lang: 'kk', title: TRANSLATIONS.kk.headline });
  });

  it('has another ETag in each language, and a conditional GET compares within one', async () => {
    const etagOf = async (query: string) =>
      (await getText(`/v1/feeds/declarations.atom${query}`).expect(200)).headers.etag as string;
    const [english, russian, kazakh] = await Promise.all([
      etagOf('?area=KZ'),
      etagOf('?area=KZ&lang=ru'),
      etagOf('?area=KZ&lang=kk'),
    ]);
    expect(new Set([english, russian, kazakh]).size).toBe(3);
    await getText('/v1/feeds/declarations.atom?area=KZ&lang=ru', { 'if-none-match': russian }).expect(304);
    await getText('/v1/feeds/declarations.atom?area=KZ&lang=kk', { 'if-none-match': russian }).expect(200);
  });

  it.each([['en_US'], ['*'], ['ru-'], ['a'.repeat(70)]])(
    'refuses ?lang=%s with a 400 problem',
    async (lang) => {
      const response = await test.http
        .get(`/v1/feeds/declarations.atom?lang=${encodeURIComponent(lang)}`)
        .expect(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body.errors).toEqual([{ field: 'lang', message: expect.stringContaining('BCP 47') }]);
    },
  );

  it('keeps language and translations when cancelled, in the answer and in the cancellation event', async () => {
    // A declaration of its own (another scheme, so that it changes a level), leaving the shared one in force.
    const kazakh = (
      await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({
          ...declarationBody,
          scheme: 'travel-advisory',
          level: '4',
          areas: ['KZ-75'],
          ...TRANSLATIONS.kk,
          language: 'kk',
          translations: { ru: TRANSLATIONS.ru },
        })
        .expect(201)
    ).body;
    const cancelled = await test.http
      .post(`/v1/declarations/${kazakh.id}/cancel`)
      .set(test.as(publisher))
      .send({ reason: 'Test.' })
      .expect(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      headline: TRANSLATIONS.kk.headline,
      language: 'kk',
      translations: { ru: TRANSLATIONS.ru },
    });
    const cancellation = () =>
      webhookEvents().find((e) => e.data.declaration.id === kazakh.id && e.data.cause === 'cancelled');
    await receiver.waitFor(() => cancellation() !== undefined);
    expect(cancellation()!.data.declaration).toMatchObject({
      language: 'kk',
      translations: { ru: TRANSLATIONS.ru },
    });
  });

  it('previews a declaration with translations, and refuses bad ones there too', async () => {
    await test.http
      .post('/v1/declarations/preview')
      .set(test.as(publisher))
      .send({ ...declarationBody, language: 'kk', translations: { ru: TRANSLATIONS.ru } })
      .expect(200);
    await test.http
      .post('/v1/declarations/preview')
      .set(test.as(publisher))
      .send({ ...declarationBody, translations: { ru: { headline: '' } } })
      .expect(400);
  });

  it('describes language, translations and ?lang= in the OpenAPI document', async () => {
    const { body: document } = await test.http.get('/openapi.json').expect(200);
    const schemas = document.components.schemas;
    const translations = {
      type: 'object',
      additionalProperties: { $ref: '#/components/schemas/DeclarationTranslationDto' },
    };
    expect(schemas.PublishDeclarationDto.properties).toMatchObject({
      language: { type: 'string' },
      translations,
    });
    expect(schemas.PublishDeclarationDto.required).not.toContain('translations');
    expect(schemas.DeclarationDto.properties).toMatchObject({ language: { type: 'string' }, translations });
    expect(schemas.DeclarationDto.required).toEqual(expect.arrayContaining(['language', 'translations']));
    expect(Object.keys(schemas.DeclarationTranslationDto.properties)).toEqual([
      'headline',
      'summary',
      'measures',
    ]);
    const feedParameters = document.paths['/v1/feeds/declarations.atom'].get.parameters;
    expect(feedParameters).toContainEqual(
      expect.objectContaining({ name: 'lang', in: 'query', required: false }),
    );
  });

  describe('bad input: a 400 problem, nothing written', () => {
    const long = (n: number) => 'я'.repeat(n);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a language that is no tag', { language: 'en_US' }, /language must be a BCP 47 language tag/],
      ['a language that is not a string', { language: ['en'] }, /language must be a BCP 47 language tag/],
      [
        'translations that are an array',
        { translations: [TRANSLATIONS.ru] },
        /translations must be an object/,
      ],
      [
        'a translation key that is no tag',
        { translations: { 'russian!': TRANSLATIONS.ru } },
        /key "russian!"/,
      ],
      [
        'one language twice',
        { translations: { ru: TRANSLATIONS.ru, RU: TRANSLATIONS.ru } },
        /name one language/,
      ],
      [
        "a translation into the declaration's own language",
        { language: 'kk', translations: { KK: TRANSLATIONS.kk } },
        /own language/,
      ],
      [
        'a translation into the default language',
        { translations: { en: { headline: 'x' } } },
        /own language/,
      ],
      ['an empty translation', { translations: { ru: {} } }, /at least one of headline/],
      ['an unknown field', { translations: { ru: { title: 'x' } } }, /ru\.title should not exist/],
      [
        'a headline too long',
        { translations: { ru: { headline: long(201) } } },
        /ru\.headline must be 1 to 200/,
      ],
      [
        'a summary too long',
        { translations: { ru: { summary: long(5001) } } },
        /ru\.summary must be 1 to 5000/,
      ],
      ['a blank headline', { translations: { kk: { headline: ' ' } } }, /kk\.headline must be 1 to 200/],
      ['a measure too long', { translations: { kk: { measures: [long(1001)] } } }, /kk\.measures\.0 must be/],
      ['too many measures', { translations: { kk: { measures: Array(51).fill('x') } } }, /at most 50 items/],
      [
        'too many languages',
        { translations: Object.fromEntries([...Array(21)].map((_, i) => [`ab-x-${i}`, { headline: 'x' }])) },
        /at most 20 languages/,
      ],
      ['a NUL in a translation', { translations: { ru: { headline: 'a\u0000b' } } }, /NUL character/],
      ['a NUL in a translation key', { translations: { ['ru\u0000']: { headline: 'x' } } }, /NUL character/],
      ['a lone surrogate in a measure', { translations: { ru: { measures: ['\ud800'] } } }, /lone surrogate/],
    ];

    it.each(cases)('refuses %s', async (_case, fields, detail) => {
      const before = await counts(test);
      const response = await test.http
        .post('/v1/declarations')
        .set(test.as(publisher))
        .send({ ...declarationBody, ...fields })
        .expect(400);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body.detail).toMatch(detail);
      expect(await counts(test)).toEqual(before);
    });
  });
});

describe('DEFAULT_LANGUAGE', () => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp('postgres', { DEFAULT_LANGUAGE: 'KK' });
  });
  afterAll(() => test?.close());

  it('is the language of a declaration that names none, and of the Atom feed without ?lang=', async () => {
    const published = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({ ...declarationBody, ...TRANSLATIONS.kk, translations: { ru: TRANSLATIONS.ru } })
      .expect(201);
    expect(published.body).toMatchObject({ language: 'kk', translations: { ru: TRANSLATIONS.ru } });
    const xml = (await test.http.get('/v1/feeds/declarations.atom').buffer(true).expect(200)).text;
    expect(elementsOf(xml, 'feed')[0].lang).toBe('kk');
    expect(parseFeed(xml).title).toBe('Tocsin: қауіп деңгейлері туралы хабарландырулар');
  });

  it('may not be a translation of a declaration that names no language', async () => {
    const before = await counts(test);
    const response = await test.http
      .post('/v1/declarations')
      .set(test.as())
      .send({ ...declarationBody, translations: { kk: TRANSLATIONS.kk } })
      .expect(400);
    expect(response.body.detail).toMatch(/translations has "kk", the declaration's own language/);
    expect(await counts(test)).toEqual(before);
  });
});

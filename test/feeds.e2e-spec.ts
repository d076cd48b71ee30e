import { parseFeed } from '@rowanmanning/feed-parser';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { capSchemaProblems } from '@tocsin/ingest';
import { JANUARY_2022_STEPS } from './support/kazakhstan-2022';
import { createKey, startTestApp, TestApp } from './support/test-app';

// PUBLIC_URL is the default in tests, http://localhost:3000, so CAP's sender is tocsin@localhost.
const SENDER = 'tocsin@localhost';
const ESCAPED_HEADLINE = 'Severe <threat> & "crowded places"';

/** The text of every element called `name` in an XML document, in document order. */
function textsOf(xml: string, name: string): string[] {
  const found: string[] = [];
  create(xml)
    .root()
    .each(
      (node: XMLBuilder) => void (node.node.nodeName === name && found.push(node.node.textContent ?? '')),
      true,
      true,
    );
  return found;
}
const textOf = (xml: string, name: string) => textsOf(xml, name)[0];

/** A declaration's CAP time from its JSON time: whole seconds, UTC as -00:00. */
const capTime = (iso: string) => `${iso.slice(0, 19)}-00:00`;
/** The path and query of a link, to request it from the app under test. */
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

describe('CAP documents, Atom feeds and CSV levels over HTTP', () => {
  let test: TestApp;
  let publisher: string;
  const january: string[] = [];
  let britain: string;

  /** The body of a GET as text, whatever its media type. */
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
  const capOf = async (id: string) => {
    const response = await getText(`/v1/declarations/${id}/cap`).expect(200);
    expect(response.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
    return response.body as string;
  };
  const publish = async (body: Record<string, unknown>) =>
    (await test.http.post('/v1/declarations').set(test.as(publisher)).send(body).expect(201)).body;
  const feedIds = async (query = '') =>
    parseFeed((await getText(`/v1/feeds/declarations.atom${query}`).expect(200)).body).items.map((item) =>
      item.url!.split('/').at(-2)!,
    );

  beforeAll(async () => {
    test = await startTestApp('postgres');
    publisher = await createKey(test, 'publisher', 'KNB duty desk');
    for (const step of JANUARY_2022_STEPS) {
      const published = await publish({
        ...step,
        headline: `${step.level} for ${step.areas.join(', ')}`,
        summary: 'Recorded after the fact.',
        authority: 'Anti-Terrorist Centre',
      });
      january.push(published.id);
    }
    britain = (
      await publish({
        scheme: 'uk-terror',
        level: 'severe',
        areas: ['GB'],
        headline: ESCAPED_HEADLINE,
        summary: 'An attack is highly likely.',
        authority: 'JTAC & MI5',
      })
    ).id;
  });
  afterAll(() => test?.close());

  describe('GET /v1/declarations/{id}/cap', () => {
    it('answers every declaration of January 2022 with a document cap-1.2.xsd accepts', async () => {
      for (const id of [...january, britain]) {
        expect({ id, errors: await capSchemaProblems(await capOf(id), '1.2') }).toEqual({
          id,
          errors: [],
        });
      }
    });

    it('makes the orange that followed the red in the south an Update of it, and the rest Alerts', async () => {
      const documents = await Promise.all(january.map(capOf));
      expect(documents.map((xml) => textOf(xml, 'msgType'))).toEqual([
        'Alert',
        'Alert',
        'Update',
        'Alert',
        'Alert',
        'Alert',
        'Alert',
      ]);
      const red = (await test.http.get(`/v1/declarations/${january[1]}`).expect(200)).body;
      expect(textOf(documents[2], 'references')).toBe(`${SENDER},${january[1]},${capTime(red.createdAt)}`);
      expect(documents.filter((xml) => textsOf(xml, 'references').length)).toHaveLength(1);
    });

    it("describes the red of 13 January: sender, times, the level's severity, measures and ISO 3166-2 areas", async () => {
      const xml = await capOf(january[1]);
      const declaration = (await test.http.get(`/v1/declarations/${january[1]}`).expect(200)).body;
      expect(textOf(xml, 'identifier')).toBe(january[1]);
      expect(textOf(xml, 'sender')).toBe(SENDER);
      expect(textOf(xml, 'sent')).toBe(capTime(declaration.createdAt));
      expect(textOf(xml, 'status')).toBe('Actual');
      expect(textOf(xml, 'scope')).toBe('Public');
      expect(textOf(xml, 'language')).toBe('en');
      expect(textOf(xml, 'category')).toBe('Security');
      expect(textOf(xml, 'event')).toBe('terrorism threat level');
      expect(textOf(xml, 'urgency')).toBe('Past');
      expect(textOf(xml, 'severity')).toBe('Extreme');
      expect(textOf(xml, 'certainty')).toBe('Likely');
      expect(textOf(xml, 'effective')).toBe('2022-01-13T06:00:00-00:00');
      expect(textOf(xml, 'expires')).toBe('2022-01-25T18:00:00-00:00');
      expect(textOf(xml, 'headline')).toBe('red for KZ-ALA, KZ-ALM, KZ-ZHA');
      expect(textOf(xml, 'instruction')).toBe(declaration.measures.join('\n'));
      expect(textOf(xml, 'web')).toBe(`http://localhost:3000/v1/declarations/${january[1]}`);
      expect(textsOf(xml, 'areaDesc')).toEqual(['Almaty Region', 'Zhambyl Region', 'Almaty']);
      expect(textsOf(xml, 'value')).toEqual(['kz-terror', 'red', '3', 'Critical', 'KZ-19', 'KZ-31', 'KZ-75']);
      expect(textsOf(xml, 'valueName').slice(4)).toEqual(['ISO 3166-2', 'ISO 3166-2', 'ISO 3166-2']);
    });

    it('publishes an Alert, then an Update that references it, then answers the Cancel of the Update', async () => {
      const astana = (level: string) => ({
        scheme: 'kz-terror',
        level,
        areas: ['KZ-71'],
        headline: `${level} for Astana`,
        summary: 'Live.',
        authority: 'Anti-Terrorist Centre',
      });
      const yellow = await publish(astana('yellow'));
      const alert = await capOf(yellow.id);
      expect(textOf(alert, 'msgType')).toBe('Alert');
      expect(textOf(alert, 'urgency')).toBe('Immediate');
      expect(textsOf(alert, 'references')).toEqual([]);

      const orange = await publish(astana('orange'));
      const update = await capOf(orange.id);
      expect(textOf(update, 'msgType')).toBe('Update');
      expect(textOf(update, 'identifier')).toBe(orange.id);
      expect(textOf(update, 'references')).toBe(`${SENDER},${yellow.id},${capTime(yellow.createdAt)}`);

      const cancelled = (
        await test.http
          .post(`/v1/declarations/${orange.id}/cancel`)
          .set(test.as(publisher))
          .send({ reason: 'Issued in error.' })
          .expect(200)
      ).body;
      const cancel = await capOf(orange.id);
      expect(textOf(cancel, 'msgType')).toBe('Cancel');
      expect(textOf(cancel, 'identifier')).toBe(`${orange.id}.cancel`);
      expect(textOf(cancel, 'sent')).toBe(capTime(cancelled.cancelledAt));
      expect(textOf(cancel, 'references')).toBe(`${SENDER},${orange.id},${capTime(orange.createdAt)}`);
      expect(textOf(cancel, 'note')).toBe('Issued in error.');

      for (const xml of [alert, update, cancel]) expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
      // Cancelling the Update does not turn the yellow it replaced back into anything else.
      expect(textOf(await capOf(yellow.id), 'msgType')).toBe('Alert');
    });

    it('escapes markup in texts: the headline reads back exactly', async () => {
      const xml = await capOf(britain);
      expect(xml).toContain('&lt;threat&gt; &amp;');
      expect(textOf(xml, 'headline')).toBe(ESCAPED_HEADLINE);
      expect(textOf(xml, 'senderName')).toBe('JTAC & MI5');
      expect(textsOf(xml, 'valueName').at(-1)).toBe('ISO 3166-1 alpha-2');
    });

    it('answers an unknown declaration with a 404 problem', async () => {
      const response = await test.http.get('/v1/declarations/dcl_nope/cap').expect(404);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.body).toMatchObject({ status: 404, title: 'Not Found' });
    });
  });

  describe('GET /v1/feeds/declarations.atom', () => {
    it('lists every declaration, newest first, each linking a CAP document and its JSON that resolve', async () => {
      const response = await getText('/v1/feeds/declarations.atom').expect(200);
      expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
      const feed = parseFeed(response.body);
      expect(feed.self).toBe('http://localhost:3000/v1/feeds/declarations.atom');
      const all = (await test.http.get('/v1/declarations?limit=200').expect(200)).body.items;
      expect(feed.items.map((item) => item.url)).toEqual(
        all.map((d: { id: string }) => `http://localhost:3000/v1/declarations/${d.id}/cap`),
      );
      expect(feed.items.find((item) => item.url!.includes(britain))?.title).toBe(ESCAPED_HEADLINE);
      for (const item of feed.items) {
        const cap = await getText(pathOf(item.url!)).expect(200);
        expect(cap.headers['content-type']).toMatch(/^application\/cap\+xml/);
      }
      const jsonLinks = [...response.body.matchAll(/type="application\/json" href="([^"]+)"/g)].map(
        (m) => m[1],
      );
      expect(jsonLinks).toHaveLength(feed.items.length);
      for (const link of jsonLinks) await test.http.get(pathOf(link)).expect(200);
    });

    it('gives a country the declarations of it and of its subdivisions', async () => {
      const ids = await feedIds('?area=KZ');
      expect(ids).toEqual(expect.arrayContaining(january));
      expect(ids).not.toContain(britain);
    });

    it('gives a subdivision its own and its country’s declarations, not Astana’s', async () => {
      expect(await feedIds('?area=KZ')).toContain(january[3]); // Astana only
      const response = await getText('/v1/feeds/declarations.atom?area=kz-ala').expect(200);
      const feed = parseFeed(response.body);
      expect(feed.self).toBe('http://localhost:3000/v1/feeds/declarations.atom?area=KZ-75');
      expect(feed.items.map((item) => item.url!.split('/').at(-2)).sort()).toEqual(
        [january[0], january[1], january[2]].sort(),
      );
    });

    it('answers an unknown area with a 404 problem and a malformed one with a 400', async () => {
      const unknown = await test.http.get('/v1/feeds/declarations.atom?area=ZZ').expect(404);
      expect(unknown.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      await test.http.get('/v1/feeds/declarations.atom?area=not%20an%20area').expect(400);
    });

    it('answers a conditional GET with 304 until the feed changes', async () => {
      const first = await getText('/v1/feeds/declarations.atom?area=UZ').expect(200);
      const { etag, 'last-modified': lastModified } = first.headers;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

      const notModified = await getText('/v1/feeds/declarations.atom?area=UZ', { 'if-none-match': etag });
      expect(notModified.status).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers.etag).toBe(etag);

      await publish({
        scheme: 'travel-advisory',
        level: '2',
        areas: ['UZ'],
        headline: 'Exercise increased caution in Uzbekistan',
        summary: 'Take care.',
        authority: 'Travel desk',
      });
      const changed = await getText('/v1/feeds/declarations.atom?area=UZ', { 'if-none-match': etag }).expect(
        200,
      );
      expect(changed.headers.etag).not.toBe(etag);
      expect(lastModified).toBeUndefined(); // the feed was empty before
      const since = changed.headers['last-modified'];
      expect(new Date(since).getTime()).toBeLessThanOrEqual(Date.now());
      expect(
        (await getText('/v1/feeds/declarations.atom?area=UZ', { 'if-modified-since': since })).status,
      ).toBe(304);
      expect(
        (
          await getText('/v1/feeds/declarations.atom?area=GB', {
            'if-modified-since': new Date(Date.parse(since) - 3_600_000).toUTCString(),
          })
        ).status,
      ).toBe(200);
    });
  });

  it('documents the CAP, Atom and CSV media types in the OpenAPI document', async () => {
    const { paths } = (await test.http.get('/openapi.json').expect(200)).body;
    const okContent = (path: string) => paths[path].get.responses['200'].content;
    expect(Object.keys(okContent('/v1/declarations/{id}/cap'))).toEqual(['application/cap+xml']);
    expect(Object.keys(okContent('/v1/feeds/declarations.atom'))).toEqual(['application/atom+xml']);
    expect(paths['/v1/feeds/declarations.atom'].get.responses).toHaveProperty('304');
    expect(okContent('/v1/levels')).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/LevelListDto' } },
      'text/csv': { schema: { type: 'string' } },
    });
  });

  describe('GET /v1/levels as CSV', () => {
    const at = '2022-01-14T00:00:00+06:00';

    it('answers Accept: text/csv with a header row and the same levels as the JSON', async () => {
      const csv = await getText(`/v1/levels?at=${encodeURIComponent(at)}`, { accept: 'text/csv' }).expect(
        200,
      );
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers.vary).toMatch(/accept/i);
      const [header, ...rows] = (csv.body as string).trimEnd().split('\r\n');
      expect(header).toBe(
        'area_code,area_name,area_type,parent,scheme,level_code,rank,level_name,declaration_id,source,since,until',
      );
      const json = await test.http.get('/v1/levels').query({ at }).expect(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(rows.map((row) => row.split(','))).toEqual(
        json.body.items.map(
          (item: {
            area: { code: string; name: string; type: string; parent: string | null };
            scheme: string;
            level: { code: string; rank: number; name: string };
            declarationId: string;
            source: string;
            since: string;
            until: string | null;
          }) => [
            item.area.code,
            item.area.name,
            item.area.type,
            item.area.parent ?? '',
            item.scheme,
            item.level.code,
            String(item.level.rank),
            item.level.name,
            item.declarationId,
            item.source,
            item.since,
            item.until ?? '',
          ],
        ),
      );
      expect(rows.map((row) => row.split(',').slice(0, 1)[0])).toContain('KZ-75');
    });

    it('stays JSON for clients that ask for anything or for JSON', async () => {
      for (const accept of ['*/*', 'application/json', 'text/html,*/*;q=0.8']) {
        const response = await test.http.get('/v1/levels').set('accept', accept).expect(200);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body.items).toEqual(expect.any(Array));
      }
    });
  });
});

import type { Area } from '@tocsin/areas';
import type { Declaration } from '@tocsin/declarations';
import { create } from 'xmlbuilder2';
import { capSchemaProblems } from '@tocsin/ingest';
import { capSender, capStatus, capTime, CapContext, isUnissued, renderCap } from './cap';

const KAZAKHSTAN: Area = { code: 'KZ', name: 'Kazakhstan', type: 'country', parent: null };
const ALMATY: Area = { code: 'KZ-75', name: 'Almaty', type: 'subdivision', parent: 'KZ' };
const SENDER = 'tocsin@alerts.example.org';

function declaration(overrides: Partial<Declaration> = {}): Declaration {
  return {
    id: 'dcl_0190d7e4-0000-7000-8000-000000000001',
    status: 'active',
    schemeId: 'kz-terror',
    level: { code: 'red', rank: 3, name: 'Critical', color: '#d32f2f' },
    areaCodes: ['KZ', 'KZ-75'],
    headline: 'Critical (red) terrorism threat level',
    summary: 'Repeat attacks are possible.',
    measures: ['People may be searched.', 'Movement may be restricted.'],
    language: 'en',
    translations: {},
    authority: 'Anti-Terrorist Centre',
    sourceUrl: null,
    effectiveAt: new Date('2022-01-06T18:00:00Z'),
    expiresAt: new Date('2022-01-13T06:00:00Z'),
    createdAt: new Date('2022-01-06T17:59:30.123Z'),
    createdBy: 'duty desk',
    cancelledAt: null,
    cancelledBy: null,
    cancelReason: null,
    ...overrides,
  };
}

function context(overrides: Partial<CapContext> = {}): CapContext {
  return {
    sender: SENDER,
    web: 'https://alerts.example.org/v1/declarations/dcl_0190d7e4-0000-7000-8000-000000000001',
    severity: 'Extreme',
    areas: [KAZAKHSTAN, ALMATY],
    supersedes: [],
    texts: [
      {
        language: 'en',
        event: 'terrorism threat level',
        levelName: 'Critical',
        headline: 'Critical (red) terrorism threat level',
        description: 'Repeat attacks are possible.',
        instruction: 'People may be searched.\nMovement may be restricted.',
      },
    ],
    ...overrides,
  };
}

/** The text of every element called `name`, in document order, read back by an XML parser. */
function textsOf(xml: string, name: string): string[] {
  const found: string[] = [];
  create(xml)
    .root()
    .each(
      (node) => void (node.node.nodeName === name && found.push(node.node.textContent ?? '')),
      true,
      true,
    );
  return found;
}
const textOf = (xml: string, name: string) => textsOf(xml, name)[0];

describe('renderCap', () => {
  it('renders an Alert that the CAP 1.2 schema accepts, with every element the service promises', async () => {
    const xml = renderCap(declaration(), context());
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
    expect(xml).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    expect(textOf(xml, 'identifier')).toBe('dcl_0190d7e4-0000-7000-8000-000000000001');
    expect(textOf(xml, 'sender')).toBe(SENDER);
    expect(textOf(xml, 'sent')).toBe('2022-01-06T17:59:30-00:00');
    expect(textOf(xml, 'status')).toBe('Actual');
    expect(textOf(xml, 'msgType')).toBe('Alert');
    expect(textOf(xml, 'scope')).toBe('Public');
    expect(textsOf(xml, 'references')).toEqual([]);
    expect(textOf(xml, 'language')).toBe('en');
    expect(textOf(xml, 'category')).toBe('Security');
    expect(textOf(xml, 'event')).toBe('terrorism threat level');
    expect(textOf(xml, 'severity')).toBe('Extreme');
    expect(textOf(xml, 'certainty')).toBe('Likely');
    expect(textOf(xml, 'effective')).toBe('2022-01-06T18:00:00-00:00');
    expect(textOf(xml, 'expires')).toBe('2022-01-13T06:00:00-00:00');
    expect(textOf(xml, 'senderName')).toBe('Anti-Terrorist Centre');
    expect(textOf(xml, 'instruction')).toBe('People may be searched.\nMovement may be restricted.');
    expect(textOf(xml, 'web')).toBe(context().web);
    expect(textsOf(xml, 'valueName')).toEqual([
      'tocsin:scheme',
      'tocsin:level',
      'tocsin:rank',
      'tocsin:levelName',
      'ISO 3166-1 alpha-2',
      'ISO 3166-2',
    ]);
    expect(textsOf(xml, 'value')).toEqual(['kz-terror', 'red', '3', 'Critical', 'KZ', 'KZ-75']);
    expect(textsOf(xml, 'areaDesc')).toEqual(['Kazakhstan', 'Almaty']);
  });

  it('is checked by a validator that does reject what the schema forbids (a trailing Z)', async () => {
    const xml = renderCap(declaration(), context()).replace(
      '<sent>2022-01-06T17:59:30-00:00</sent>',
      '<sent>2022-01-06T17:59:30Z</sent>',
    );
    expect(await capSchemaProblems(xml, '1.2')).toEqual([expect.stringContaining("[facet 'pattern']")]);
  });

  it('escapes <, & and " in texts, so they read back exactly and the document stays valid', async () => {
    const headline = 'Red <b>level</b> & "search" of cars';
    const xml = renderCap(
      declaration({ authority: 'KNB & Police' }),
      context({ texts: [{ ...context().texts[0], headline, description: 'a < b && c > d' }] }),
    );
    expect(xml).toContain('<headline>Red &lt;b&gt;level&lt;/b&gt; &amp; "search" of cars</headline>');
    expect(textOf(xml, 'headline')).toBe(headline);
    expect(textOf(xml, 'description')).toBe('a < b && c > d');
    expect(textOf(xml, 'senderName')).toBe('KNB & Police');
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
  });

  it('replaces characters XML cannot carry instead of writing an unreadable document', async () => {
    const xml = renderCap(
      declaration(),
      context({ texts: [{ ...context().texts[0], headline: 'bell\u0007' }] }),
    );
    expect(textOf(xml, 'headline')).toBe('bell\uFFFD');
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
  });

  it('writes every time in the schema form: whole seconds and an offset, never Z', () => {
    const xml = renderCap(declaration(), context());
    for (const name of ['sent', 'effective', 'expires']) {
      expect(textOf(xml, name)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/);
    }
    expect(capTime(new Date('2022-01-25T18:00:00.999Z'))).toBe('2022-01-25T18:00:00-00:00');
  });

  it('leaves out expires for a level until further notice', async () => {
    const xml = renderCap(declaration({ expiresAt: null }), context());
    expect(textsOf(xml, 'expires')).toEqual([]);
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
  });

  it('makes a declaration that replaced others an Update referencing their messages', async () => {
    const xml = renderCap(
      declaration(),
      context({
        supersedes: [
          { id: 'dcl_a', createdAt: new Date('2022-01-01T00:00:00Z') },
          { id: 'dcl_b', createdAt: new Date('2022-01-02T12:30:00.500Z') },
        ],
      }),
    );
    expect(textOf(xml, 'msgType')).toBe('Update');
    expect(textOf(xml, 'references')).toBe(
      `${SENDER},dcl_a,2022-01-01T00:00:00-00:00 ${SENDER},dcl_b,2022-01-02T12:30:00-00:00`,
    );
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
  });

  it('makes a cancelled declaration a Cancel of its own that references the original message', async () => {
    const xml = renderCap(
      declaration({
        status: 'cancelled',
        cancelledAt: new Date('2022-01-08T09:15:00Z'),
        cancelledBy: 'admin',
        cancelReason: 'Published for the wrong region.',
      }),
      context({ supersedes: [{ id: 'dcl_a', createdAt: new Date('2022-01-01T00:00:00Z') }] }),
    );
    expect(textOf(xml, 'msgType')).toBe('Cancel');
    expect(textOf(xml, 'identifier')).toBe('dcl_0190d7e4-0000-7000-8000-000000000001.cancel');
    expect(textOf(xml, 'sent')).toBe('2022-01-08T09:15:00-00:00');
    expect(textOf(xml, 'references')).toBe(
      `${SENDER},dcl_0190d7e4-0000-7000-8000-000000000001,2022-01-06T17:59:30-00:00`,
    );
    expect(textOf(xml, 'note')).toBe('Published for the wrong region.');
    expect(textOf(xml, 'urgency')).toBe('Past');
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
  });

  it.each([
    ['Immediate', 'in force when sent', '2022-01-06T17:59:30Z', null],
    ['Expected', 'starting within the hour', '2022-01-06T18:30:00Z', null],
    ['Future', 'starting later', '2022-01-10T00:00:00Z', null],
    ['Past', 'recorded after it expired', '2022-01-06T18:00:00Z', '2022-01-07T00:00:00Z'],
  ])('gives urgency %s to a declaration %s', (urgency, _case, effectiveAt, expiresAt) => {
    const sentAt = expiresAt ? new Date('2022-02-01T00:00:00Z') : new Date('2022-01-06T17:59:30Z');
    const xml = renderCap(
      declaration({
        effectiveAt: new Date(effectiveAt),
        expiresAt: expiresAt ? new Date(expiresAt) : null,
        createdAt: sentAt,
      }),
      context(),
    );
    expect(textOf(xml, 'urgency')).toBe(urgency);
  });

  it.each([
    ['Extreme', 'Likely'],
    ['Severe', 'Likely'],
    ['Moderate', 'Possible'],
    ['Minor', 'Possible'],
  ] as const)('says a level of severity %s is %s', (severity, certainty) => {
    expect(textOf(renderCap(declaration(), context({ severity })), 'certainty')).toBe(certainty);
  });

  it('writes one info per language, each naming the areas in its language where it can', async () => {
    const english = context().texts[0];
    const xml = renderCap(
      declaration(),
      context({
        texts: [
          english,
          {
            language: 'ru-KZ',
            event: 'уровень террористической опасности',
            levelName: 'критический',
            headline: 'Критический («красный») уровень',
            description: 'Возможны повторные теракты.',
            instruction: '',
            areaNames: { KZ: 'Казахстан' },
          },
        ],
      }),
    );
    expect(textsOf(xml, 'info')).toHaveLength(2);
    expect(textsOf(xml, 'language')).toEqual(['en', 'ru-KZ']);
    expect(textsOf(xml, 'areaDesc')).toEqual(['Kazakhstan', 'Almaty', 'Казахстан', 'Almaty']);
    expect(textsOf(xml, 'instruction')).toHaveLength(1);
    expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
  });
});

/** A declaration with governance's fields (DESIGN.md §5.4), which the base shape predates. */
const governed = (fields: { mode?: string; approval?: string | null; status?: string }) =>
  Object.assign(declaration(), fields) as Declaration;

describe('renderCap of exercises, tests and unissued declarations', () => {
  it.each([
    ['exercise', 'Exercise', 'Exercise: no threat level has changed.'],
    ['test', 'Test', 'Test: no threat level has changed.'],
  ])(
    'gives a declaration in mode %s the status %s and a note, and stays valid',
    async (mode, status, note) => {
      const xml = renderCap(governed({ mode }), context());
      expect(textOf(xml, 'status')).toBe(status);
      expect(textOf(xml, 'note')).toBe(note);
      expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
    },
  );

  it('keeps Actual, with no note, for an actual declaration and one from before modes', () => {
    for (const xml of [
      renderCap(governed({ mode: 'actual' }), context()),
      renderCap(declaration(), context()),
    ]) {
      expect(textOf(xml, 'status')).toBe('Actual');
      expect(textsOf(xml, 'note')).toEqual([]);
    }
  });

  it('keeps the status of an exercise on its Cancel, whose note is the reason', async () => {
    const cancelled = renderCap(
      Object.assign(
        declaration({
          status: 'cancelled',
          cancelledAt: new Date('2022-01-08T09:15:00Z'),
          cancelReason: 'Drill over.',
        }),
        { mode: 'exercise' },
      ),
      context(),
    );
    expect(textOf(cancelled, 'msgType')).toBe('Cancel');
    expect(textOf(cancelled, 'status')).toBe('Exercise');
    expect(textOf(cancelled, 'note')).toBe('Drill over.');
    expect(await capSchemaProblems(cancelled, '1.2')).toEqual([]);
  });

  it('renders a declaration waiting for approval, or rejected, as a valid Draft', async () => {
    for (const fields of [
      { approval: 'pending', status: 'pending_approval' },
      { approval: 'rejected', status: 'rejected' },
      { mode: 'exercise', approval: 'pending' },
    ]) {
      const xml = renderCap(governed(fields), context());
      expect(textOf(xml, 'status')).toBe('Draft');
      expect(await capSchemaProblems(xml, '1.2')).toEqual([]);
    }
  });
});

describe('capStatus', () => {
  it.each([
    [{}, 'Actual'],
    [{ mode: 'actual' }, 'Actual'],
    [{ mode: 'actual', approval: 'approved' }, 'Actual'],
    [{ mode: 'actual', approval: 'urgent' }, 'Actual'],
    [{ mode: 'exercise' }, 'Exercise'],
    [{ mode: 'test', approval: null }, 'Test'],
    [{ mode: 'actual', approval: 'pending' }, 'Draft'],
    [{ status: 'pending_approval' }, 'Draft'],
    [{ mode: 'test', approval: 'rejected' }, 'Draft'],
  ])('of %j is %s', (declaration, status) => {
    expect(capStatus(declaration)).toBe(status);
  });
});

describe('isUnissued', () => {
  it('holds while a declaration waits for approval or once rejected, not once approved', () => {
    expect(isUnissued({ approval: 'pending' })).toBe(true);
    expect(isUnissued({ status: 'rejected' })).toBe(true);
    expect(isUnissued({ approval: 'approved', status: 'active' })).toBe(false);
    expect(isUnissued({ approval: 'urgent' })).toBe(false);
    expect(isUnissued({})).toBe(false);
  });
});

describe('capSender', () => {
  it("is an address at PUBLIC_URL's host, without port", () => {
    expect(capSender('http://localhost:3000')).toBe('tocsin@localhost');
    expect(capSender('https://alerts.example.org/tocsin')).toBe('tocsin@alerts.example.org');
  });
});

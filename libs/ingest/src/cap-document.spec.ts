import { readFileSync } from 'node:fs';
import { parseCapAlert, parseReferences } from './cap-document';
import { readFixture } from './testing/fixtures';

const limits = { maxBytes: 1_000_000 };
const alertXml = (body: string, ns = 'urn:oasis:names:tc:emergency:cap:1.2'): string =>
  `<alert xmlns="${ns}"><identifier>A</identifier><sender>s@x</sender><sent>2026-01-01T00:00:00+00:00</sent>` +
  `<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>${body}</alert>`;
const info = (extra = ''): string =>
  `<info><category>Security</category><event>E</event><urgency>Immediate</urgency><severity>Severe</severity>` +
  `<certainty>Likely</certainty>${extra}</info>`;

describe('parseCapAlert', () => {
  it('reads the Kazakh Alert in kk and ru, with its geocodes, parameters and offset timestamps as written', () => {
    const parsed = parseCapAlert(readFixture('kz-alert.cap.xml'), limits);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const alert = parsed.value;
    expect(alert).toMatchObject({
      version: '1.2',
      identifier: 'KZ-KNB-2026-0142',
      sender: 'atc@knb.kz',
      sent: '2026-01-05T09:30:00+05:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      references: [],
    });
    expect(alert.infos.map((i) => i.language)).toEqual(['kk-KZ', 'ru-KZ']);
    expect(alert.infos[0]).toMatchObject({
      event: 'Террористік қауіп деңгейі',
      severity: 'Severe',
      urgency: 'Immediate',
      certainty: 'Likely',
      headline: 'Алматы қаласында «сары» деңгей',
      senderName: 'ҚР Терроризмге қарсы орталығы',
      web: 'https://antiterror.gov.kz/levels',
      effective: '2026-01-05T10:00:00+05:00',
      onset: null,
      expires: '2026-01-19T10:00:00+05:00',
      parameters: [{ valueName: 'threatLevel', value: 'yellow' }],
      areas: [
        { areaDesc: 'Алматы қаласы', geocodes: [{ valueName: 'ISO 3166-2', value: 'KZ-ALA' }] },
        { areaDesc: 'Алматы облысы', geocodes: [{ valueName: 'ISO3166-2', value: 'KZ-19' }] },
      ],
    });
    expect(alert.infos[0]!.instruction).toBe('Сақ болыңыз.\nКүдікті заттар туралы 102 нөміріне хабарлаңыз.');
    expect(alert.infos[1]!.web).toBeNull();
  });

  it('reads the Update with its reference and the Cancel with two references and no info', () => {
    const update = parseCapAlert(readFixture('kz-update.cap.xml'), limits);
    const cancel = parseCapAlert(readFixture('kz-cancel.cap.xml'), limits);
    expect(update.ok && update.value.msgType).toBe('Update');
    expect(update.ok && update.value.references).toEqual([
      { sender: 'atc@knb.kz', identifier: 'KZ-KNB-2026-0142', sent: '2026-01-05T09:30:00+05:00' },
    ]);
    expect(cancel.ok && cancel.value).toMatchObject({
      msgType: 'Cancel',
      infos: [],
      references: [
        { sender: 'atc@knb.kz', identifier: 'KZ-KNB-2026-0142', sent: '2026-01-05T09:30:00+05:00' },
        { sender: 'atc@knb.kz', identifier: 'KZ-KNB-2026-0143', sent: '2026-01-08T12:00:00+05:00' },
      ],
    });
  });

  it.each([
    ['example-oasis-amber-alert.cap.xml', '1.2', 'KAR0-0306112239-SW', 2],
    ['example-canada-update.cap.xml', '1.2', '2.49.0.1.124.6bddbc91.2012', 2],
    ['example-australia-rfs.cap.xml', '1.2', 'tag:www.rfs.nsw.gov.au2011-10-06:40184', 2],
    ['cap-1.1-alert.cap.xml', '1.1', 'GB-HO-2025-07', 1],
    ['emma-id-alert.cap.xml', '1.2', '2.49.0.0.528.0.NL.260301120000.EMMA-17', 2],
  ])('reads %s (CAP %s, %s, %i infos)', (fixture, version, identifier, infos) => {
    const parsed = parseCapAlert(readFixture(fixture), limits);
    expect(parsed.ok && [parsed.value.version, parsed.value.identifier, parsed.value.infos.length]).toEqual([
      version,
      identifier,
      infos,
    ]);
  });

  it('reads the Canadian Update’s two references', () => {
    const parsed = parseCapAlert(readFixture('example-canada-update.cap.xml'), limits);
    expect(parsed.ok && parsed.value.references.map((r) => r.identifier)).toEqual([
      '2.49.0.1.124.a3f342a4.2012',
      '2.49.0.1.124.60f31a3a.2012',
    ]);
  });

  it('gives an info without <language> the CAP default en-US', () => {
    const parsed = parseCapAlert(readFixture('cap-1.1-alert.cap.xml'), limits);
    expect(parsed.ok && parsed.value.infos[0]!.language).toBe('en-US');
  });

  it('accepts a string as well as a Buffer, with or without a byte order mark', () => {
    const xml = alertXml(info());
    for (const input of [
      xml,
      `\ufeff${xml}`,
      Buffer.from(xml),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]),
    ]) {
      expect(parseCapAlert(input, limits).ok).toBe(true);
    }
  });

  it('reads CDATA and the predefined entities as text', () => {
    const parsed = parseCapAlert(
      alertXml(info('<headline>A &amp; B</headline><description><![CDATA[<b>x</b>]]></description>')),
      limits,
    );
    expect(parsed.ok && [parsed.value.infos[0]!.headline, parsed.value.infos[0]!.description]).toEqual([
      'A & B',
      '<b>x</b>',
    ]);
  });

  describe('refuses, with a one-line reason and without throwing', () => {
    const deep = `${'<x>'.repeat(100)}${'</x>'.repeat(100)}`;
    it.each<[string, string | Buffer, RegExp]>([
      ['the XXE document', readFixture('xxe.cap.xml'), /DOCTYPE/],
      ['the billion-laughs document', readFixture('billion-laughs.cap.xml'), /DOCTYPE/],
      ['an empty DOCTYPE', `<!DOCTYPE alert>${alertXml(info())}`, /DOCTYPE/],
      [
        'an undefined entity',
        alertXml(info('<headline>&leak;</headline>')),
        /not well-formed XML: .*undefined entity/,
      ],
      [
        'malformed XML',
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>',
        /not well-formed XML/,
      ],
      ['an unbound prefix', '<cap:alert/>', /not well-formed XML/],
      ['text that is not XML', 'hello', /not well-formed XML/],
      ['an empty document', '', /empty/],
      [
        'bytes that are not UTF-8',
        Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
        /not valid UTF-8/,
      ],
      ['UTF-16', Buffer.from(`\ufeff${alertXml(info())}`, 'utf16le'), /UTF-16/],
      [
        'a declared encoding other than UTF-8',
        Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>${alertXml(info())}`),
        /ISO-8859-1/,
      ],
      [
        'deep nesting',
        `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${deep}</alert>`,
        /nested deeper than 64/,
      ],
      [
        'another root',
        '<feed xmlns="http://www.w3.org/2005/Atom"/>',
        /root element is <feed> in namespace http:\/\/www.w3.org\/2005\/Atom, not a CAP/,
      ],
      ['an alert without namespace', '<alert/>', /<alert> \(no namespace\), not a CAP/],
      ['CAP 1.0', alertXml(info(), 'http://www.incident.com/cap/1.0'), /not a CAP 1.1 or 1.2/],
      [
        'missing alert fields',
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>A</identifier></alert>',
        /no <sender>, <sent>, <status>, <msgType>, <scope>/,
      ],
      [
        'an info without event and severity',
        alertXml('<info><urgency>Immediate</urgency><certainty>Likely</certainty></info>'),
        /^info 1: no <event>, <severity>/,
      ],
      ['a malformed reference', alertXml('<references>a,b</references>'), /<references> holds "a,b"/],
    ])('%s', (_name, input, reason) => {
      const parsed = parseCapAlert(input, limits);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) return;
      expect(parsed.reason).toMatch(reason);
      expect(parsed.reason).not.toMatch(/\n/);
    });

    it('more than maxBytes, counted in bytes before parsing', () => {
      const xml = alertXml(info('<headline>ééé</headline>'));
      const bytes = Buffer.byteLength(xml);
      expect(parseCapAlert(xml, { maxBytes: bytes }).ok).toBe(true);
      expect(parseCapAlert(xml, { maxBytes: bytes - 1 })).toEqual({
        ok: false,
        reason: `the document is ${bytes} bytes, more than the limit of ${bytes - 1}`,
      });
      expect(parseCapAlert(Buffer.from(xml), { maxBytes: bytes - 1 }).ok).toBe(false);
    });

    it('the XXE document, leaking nothing of /etc/hostname', () => {
      const parsed = parseCapAlert(readFixture('xxe.cap.xml'), limits);
      const hostname = (() => {
        try {
          return readFileSync('/etc/hostname', 'utf8').trim();
        } catch {
          return '';
        }
      })();
      expect(parsed).toEqual({
        ok: false,
        reason: 'the document has a DOCTYPE, which is refused (no DTDs, no entity declarations)',
      });
      if (hostname) expect(JSON.stringify(parsed)).not.toContain(hostname);
    });
  });
});

describe('parseReferences', () => {
  it.each<[string, unknown]>([
    ['', []],
    ['  \n ', []],
    [
      's@x,ID-1,2026-01-01T00:00:00+05:00',
      [{ sender: 's@x', identifier: 'ID-1', sent: '2026-01-01T00:00:00+05:00' }],
    ],
    [
      ' a,1,2026-01-01T00:00:00-00:00\n\tb,2,2026-01-02T00:00:00+06:00 ',
      [
        { sender: 'a', identifier: '1', sent: '2026-01-01T00:00:00-00:00' },
        { sender: 'b', identifier: '2', sent: '2026-01-02T00:00:00+06:00' },
      ],
    ],
  ])('reads %j', (text, references) => {
    expect(parseReferences(text)).toEqual({ ok: true, value: references });
  });

  it.each(['a,b', 'a,b,c,d', ',b,c', 'a,,c'])('refuses %j', (text) => {
    expect(parseReferences(text).ok).toBe(false);
  });
});

import { capSchemaProblems, CAP_1_1_NOTE } from './cap-schema';
import { readFixture } from './testing/fixtures';

const text = (name: string): string => readFixture(name).toString('utf8');

describe('capSchemaProblems', () => {
  it.each([
    ['example-oasis-amber-alert.cap.xml', '1.2'],
    ['example-canada-update.cap.xml', '1.2'],
    ['example-australia-rfs.cap.xml', '1.2'],
    ['kz-alert.cap.xml', '1.2'],
    ['kz-update.cap.xml', '1.2'],
    ['kz-cancel.cap.xml', '1.2'],
    ['emma-id-alert.cap.xml', '1.2'],
    ['unmappable-area.cap.xml', '1.2'],
    ['no-rule.cap.xml', '1.2'],
    ['cap-1.1-alert.cap.xml', '1.1'],
  ] as const)('finds %s valid (CAP %s)', async (fixture, version) => {
    await expect(capSchemaProblems(text(fixture), version)).resolves.toEqual([]);
  });

  it('names what is wrong: a severity outside the enumeration and a timestamp with Z', async () => {
    const xml = text('kz-alert.cap.xml')
      .replace('<severity>Severe</severity>', '<severity>Terrible</severity>')
      .replace('2026-01-05T09:30:00+05:00', '2026-01-05T04:30:00Z');
    const problems = await capSchemaProblems(xml, '1.2');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/sent.*'2026-01-05T04:30:00Z' is not (accepted|a valid value)/);
    expect(problems[1]).toMatch(/severity.*'Terrible' is not an element of the set/);
  });

  it('names a missing required element', async () => {
    const problems = await capSchemaProblems(
      text('kz-cancel.cap.xml').replace(/<scope>Public<\/scope>/, ''),
      '1.2',
    );
    expect(problems).toEqual([
      "alert.xml:10: Schemas validity error : Element '{urn:oasis:names:tc:emergency:cap:1.2}note': This element is not expected. Expected is one of ( {urn:oasis:names:tc:emergency:cap:1.2}source, {urn:oasis:names:tc:emergency:cap:1.2}scope ).",
    ]);
  });

  it('says that a CAP 1.1 document was checked against the 1.2 schema', async () => {
    const xml = text('cap-1.1-alert.cap.xml').replace(
      '<cap:scope>Public</cap:scope>',
      '<cap:scope>Everyone</cap:scope>',
    );
    const problems = await capSchemaProblems(xml, '1.1');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('Everyone');
    expect(problems[0]).toContain(`(${CAP_1_1_NOTE})`);
  });

  it('refuses the hostile documents before libxml2 sees them', async () => {
    for (const fixture of ['xxe.cap.xml', 'billion-laughs.cap.xml']) {
      await expect(capSchemaProblems(text(fixture), '1.2')).resolves.toEqual([
        'the document has a DOCTYPE, which is refused (no DTDs, no entity declarations)',
      ]);
    }
  });

  it('reports malformed XML as one problem', async () => {
    const problems = await capSchemaProblems('<alert', '1.2');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/not well-formed XML/);
  });
});

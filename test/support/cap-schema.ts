import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';

/** The OASIS schema, kept in the repository with its notice (libs/feeds/standards/NOTICE.md). */
export const CAP_SCHEMA_PATH = resolve(__dirname, '..', '..', 'libs', 'feeds', 'standards', 'cap-1.2.xsd');

let schema: string | undefined;

/** libxml2's schema validation of a CAP document; the messages of what is wrong, or [] when it is valid. */
export async function capSchemaErrors(xml: string, fileName = 'alert.xml'): Promise<string[]> {
  schema ??= readFileSync(CAP_SCHEMA_PATH, 'utf8');
  const result = await validateXML({
    xml: [{ fileName, contents: xml }],
    schema: [{ fileName: 'cap-1.2.xsd', contents: schema }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

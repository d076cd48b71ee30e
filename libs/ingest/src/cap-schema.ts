// XSD validation of a CAP document someone else published, by libxml2 (xmllint-wasm) against the OASIS schema
// bundled in libs/ingest/standards (copied into dist by `npm run build`).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import type { CapVersion } from './cap-document';
import { parseXmlTree } from './xml-tree';

/** libs/ingest/standards from src and from dist alike (the build copies the folder beside src). */
export const CAP_SCHEMA_DIRECTORY = resolve(__dirname, '..', 'standards');
const SCHEMA_FILE = 'cap-1.2.xsd';
const CAP_1_1 = 'urn:oasis:names:tc:emergency:cap:1.1';
const CAP_1_2 = 'urn:oasis:names:tc:emergency:cap:1.2';

/**
 * There is no CAP 1.1 schema in the repository (see libs/ingest/standards/NOTICE.md), so a 1.1 document is
 * checked against the 1.2 schema with its namespace mapped; its messages say so.
 */
export const CAP_1_1_NOTE = 'checked against the CAP 1.2 schema with the 1.1 namespace mapped';

let schema: string | undefined;

/** XSD validation (xmllint-wasm, the bundled OASIS schemas); [] when valid, else libxml2's messages. */
export async function capSchemaProblems(xml: string, version: CapVersion): Promise<string[]> {
  // libxml2 is not handed a DTD at all: the same refusal as parseCapAlert's, whatever the caller did before.
  const tree = parseXmlTree(xml, { maxBytes: Number.MAX_SAFE_INTEGER });
  if (!tree.ok) return [tree.reason];
  schema ??= readFileSync(resolve(CAP_SCHEMA_DIRECTORY, SCHEMA_FILE), 'utf8');
  const contents = version === '1.1' ? xml.replaceAll(CAP_1_1, CAP_1_2) : xml;
  try {
    const result = await validateXML({
      xml: [{ fileName: 'alert.xml', contents }],
      schema: [{ fileName: SCHEMA_FILE, contents: schema }],
    });
    if (result.valid) return [];
    const problems = result.errors.map((error) => error.rawMessage.replace(/\s+/g, ' ').trim());
    return version === '1.1' ? problems.map((problem) => `${problem} (${CAP_1_1_NOTE})`) : problems;
  } catch (error) {
    return [`the schema validator failed: ${error instanceof Error ? error.message : String(error)}`];
  }
}

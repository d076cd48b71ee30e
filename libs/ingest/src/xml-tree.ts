// A small, hostile-input-safe XML reader for what ingest fetches from other people's servers: the whole
// document becomes a tree of elements (names with their namespace, attributes, text), or one reason why not.
import { SaxesParser } from 'saxes';
import type { Parsed } from './cap-document';

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ('' when none). */
  ns: string;
  /** Attribute values by local name (namespaced attributes by `{uri}local` as well). */
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own character data (text and CDATA), untrimmed. */
  text: string;
}

export interface XmlLimits {
  maxBytes: number;
  /** Deepest element nesting accepted; CAP needs 4, feeds 4 or 5. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

/** Thrown inside saxes handlers to stop at once; never leaves this module. */
class Refusal extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const ACCEPTED_ENCODINGS = new Set(['utf-8', 'utf8']);

/**
 * The document as a tree. Refuses, before any element is read: more than maxBytes, bytes that are not UTF-8,
 * any DOCTYPE (so no entity declarations, no external references: saxes expands only the five predefined
 * entities and an undefined one is a well-formedness error). Also refuses nesting deeper than maxDepth.
 */
export function parseXmlTree(xml: string | Buffer, limits: XmlLimits): Parsed<XmlElement> {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.length;
  if (size > limits.maxBytes) {
    return { ok: false, reason: `the document is ${size} bytes, more than the limit of ${limits.maxBytes}` };
  }
  if (size === 0) return { ok: false, reason: 'the document is empty' };
  let text: string;
  if (typeof xml === 'string') {
    text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  } else {
    if (xml[0] === 0xfe || xml[0] === 0xff)
      return { ok: false, reason: 'the document is UTF-16; only UTF-8 is accepted' };
    try {
      text = utf8.decode(xml); // strips a UTF-8 BOM
    } catch {
      return { ok: false, reason: 'the document is not valid UTF-8' };
    }
  }
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('xmldecl', (decl) => {
    // Decoded as UTF-8 already; a document that says otherwise would be read wrongly, so it is refused.
    if (typeof xml !== 'string' && decl.encoding && !ACCEPTED_ENCODINGS.has(decl.encoding.toLowerCase())) {
      throw new Refusal(
        `the document declares encoding ${JSON.stringify(decl.encoding)}; only UTF-8 is accepted`,
      );
    }
  });
  parser.on('doctype', () => {
    throw new Refusal('the document has a DOCTYPE, which is refused (no DTDs, no entity declarations)');
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= maxDepth) throw new Refusal(`elements are nested deeper than ${maxDepth} levels`);
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri) attributes[`{${attribute.uri}}${attribute.local}`] = attribute.value;
      else attributes[attribute.local] = attribute.value;
    }
    const element: XmlElement = { name: tag.local, ns: tag.uri, attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const appendText = (data: string): void => {
    const current = stack[stack.length - 1];
    if (current) current.text += data;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    return { ok: false, reason: `the document is not well-formed XML: ${oneLine(error)}` };
  }
  if (!root) return { ok: false, reason: 'the document has no root element' };
  return { ok: true, value: root };
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/** The element's children with this local name in this namespace. */
export function childrenNamed(element: XmlElement, name: string, ns: string = element.ns): XmlElement[] {
  return element.children.filter((child) => child.name === name && child.ns === ns);
}

/** The first such child. */
export function childNamed(
  element: XmlElement,
  name: string,
  ns: string = element.ns,
): XmlElement | undefined {
  return element.children.find((child) => child.name === name && child.ns === ns);
}

/** The trimmed text of the first such child, null when it is missing or blank. */
export function childText(element: XmlElement, name: string, ns: string = element.ns): string | null {
  const text = childNamed(element, name, ns)?.text.trim();
  return text ? text : null;
}

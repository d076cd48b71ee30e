// A CAP 1.1 or 1.2 alert read from someone else's XML into plain values, or one reason why it was refused.
// Pure: no I/O; the XML reading and its refusals (DOCTYPE, size, encoding, depth) are in xml-tree.ts.
import { childNamed, childrenNamed, childText, parseXmlTree, XmlElement, XmlLimits } from './xml-tree';

export type CapVersion = '1.1' | '1.2';
export interface CapReference {
  sender: string;
  identifier: string;
  /** As written. */
  sent: string;
}
export interface CapParameter {
  valueName: string;
  value: string;
}
export interface CapArea {
  areaDesc: string;
  geocodes: CapParameter[];
}
export interface CapInfo {
  /** As written; 'en-US' when absent (the CAP default). */
  language: string;
  event: string;
  severity: string;
  urgency: string;
  certainty: string;
  headline: string | null;
  description: string | null;
  instruction: string | null;
  senderName: string | null;
  web: string | null;
  /** ISO strings as written. */
  effective: string | null;
  onset: string | null;
  expires: string | null;
  parameters: CapParameter[];
  areas: CapArea[];
}
export interface CapAlert {
  version: CapVersion;
  identifier: string;
  sender: string;
  sent: string;
  status: string;
  msgType: string;
  scope: string;
  /** Parsed from the space-separated "sender,identifier,sent" triples. */
  references: CapReference[];
  infos: CapInfo[];
}
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export const CAP_NAMESPACES: Readonly<Record<string, CapVersion>> = Object.freeze({
  'urn:oasis:names:tc:emergency:cap:1.1': '1.1',
  'urn:oasis:names:tc:emergency:cap:1.2': '1.2',
});

/** The CAP version of an element that is a CAP alert root, else null. */
export function capVersionOf(element: XmlElement): CapVersion | null {
  return element.name === 'alert' ? (CAP_NAMESPACES[element.ns] ?? null) : null;
}

/** Refuses a DOCTYPE (any), other than CAP 1.1/1.2 roots, more than maxBytes, malformed XML; never expands entities. */
export function parseCapAlert(xml: string | Buffer, options: XmlLimits): Parsed<CapAlert> {
  const tree = parseXmlTree(xml, options);
  return tree.ok ? capAlertFromElement(tree.value) : tree;
}

/** The alert an already parsed root element holds (feed.ts reads a CAP document given as a feed this way). */
export function capAlertFromElement(root: XmlElement): Parsed<CapAlert> {
  const version = capVersionOf(root);
  if (!version) {
    return { ok: false, reason: `the root element is ${describe(root)}, not a CAP 1.1 or 1.2 <alert>` };
  }
  const missing = ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope'].filter(
    (n) => !childText(root, n),
  );
  if (missing.length)
    return { ok: false, reason: `the alert has no ${missing.map((n) => `<${n}>`).join(', ')}` };
  const references = parseReferences(childText(root, 'references') ?? '');
  if (!references.ok) return references;
  const infos: CapInfo[] = [];
  for (const [index, element] of childrenNamed(root, 'info').entries()) {
    const info = infoFrom(element);
    if (!info.ok) return { ok: false, reason: `info ${index + 1}: ${info.reason}` };
    infos.push(info.value);
  }
  return {
    ok: true,
    value: {
      version,
      identifier: childText(root, 'identifier')!,
      sender: childText(root, 'sender')!,
      sent: childText(root, 'sent')!,
      status: childText(root, 'status')!,
      msgType: childText(root, 'msgType')!,
      scope: childText(root, 'scope')!,
      references: references.value,
      infos,
    },
  };
}

/** CAP's <references>: whitespace-separated "sender,identifier,sent" triples (none of the three has a comma or space). */
export function parseReferences(text: string): Parsed<CapReference[]> {
  const references: CapReference[] = [];
  for (const triple of text.split(/\s+/).filter(Boolean)) {
    const parts = triple.split(',');
    if (parts.length !== 3 || parts.some((part) => !part)) {
      return {
        ok: false,
        reason: `<references> holds ${JSON.stringify(triple)}, not "sender,identifier,sent"`,
      };
    }
    const [sender, identifier, sent] = parts as [string, string, string];
    references.push({ sender, identifier, sent });
  }
  return { ok: true, value: references };
}

function infoFrom(info: XmlElement): Parsed<CapInfo> {
  const missing = ['event', 'urgency', 'severity', 'certainty'].filter((n) => !childText(info, n));
  if (missing.length) return { ok: false, reason: `no ${missing.map((n) => `<${n}>`).join(', ')}` };
  const areas: CapArea[] = childrenNamed(info, 'area').map((area) => ({
    areaDesc: childText(area, 'areaDesc') ?? '',
    geocodes: pairs(area, 'geocode'),
  }));
  return {
    ok: true,
    value: {
      language: childText(info, 'language') ?? 'en-US',
      event: childText(info, 'event')!,
      severity: childText(info, 'severity')!,
      urgency: childText(info, 'urgency')!,
      certainty: childText(info, 'certainty')!,
      headline: childText(info, 'headline'),
      description: childText(info, 'description'),
      instruction: childText(info, 'instruction'),
      senderName: childText(info, 'senderName'),
      web: childText(info, 'web'),
      effective: childText(info, 'effective'),
      onset: childText(info, 'onset'),
      expires: childText(info, 'expires'),
      parameters: pairs(info, 'parameter'),
      areas,
    },
  };
}

/** <parameter> and <geocode>: valueName/value pairs; one without a name says nothing and is skipped. */
function pairs(parent: XmlElement, name: string): CapParameter[] {
  return childrenNamed(parent, name).flatMap((element) => {
    const valueName = childText(element, 'valueName');
    const value = childNamed(element, 'value')?.text.trim() ?? '';
    return valueName ? [{ valueName, value }] : [];
  });
}

function describe(element: XmlElement): string {
  return element.ns ? `<${element.name}> in namespace ${element.ns}` : `<${element.name}> (no namespace)`;
}

// Pure: a declaration as a CAP 1.2 message (OASIS Common Alerting Protocol), valid against cap-1.2.xsd.
// A declaration is one message; once cancelled, its document is the Cancel message that withdraws it.
import type { Area } from '@tocsin/areas';
import type { Declaration } from '@tocsin/declarations';
import type { CapSeverity } from '@tocsin/schemes';
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_MEDIA_TYPE = 'application/cap+xml';

export type CapMessageType = 'Alert' | 'Update' | 'Cancel';
export type CapStatus = 'Actual' | 'Exercise' | 'Test' | 'Draft';

/**
 * What of a declaration its CAP `status` depends on: its mode and approval (DESIGN.md §5.4); both absent on a
 * declaration from before governance, which is actual.
 */
export interface Governed {
  mode?: string | null;
  approval?: string | null;
  status?: string;
}

/** Whether a declaration is not (yet, or ever) issued: waiting for a second key, or refused by one. */
export function isUnissued(declaration: Governed): boolean {
  return (
    declaration.approval === 'pending' ||
    declaration.approval === 'rejected' ||
    declaration.status === 'pending_approval' ||
    declaration.status === 'rejected'
  );
}

/**
 * CAP `status`: Exercise or Test from the declaration's mode, Actual otherwise; Draft while it waits for
 * approval or once rejected, since nobody issued it and no one may act on it ("not actionable", CAP 1.2).
 */
export function capStatus(declaration: Governed): CapStatus {
  if (isUnissued(declaration)) return 'Draft';
  if (declaration.mode === 'exercise') return 'Exercise';
  if (declaration.mode === 'test') return 'Test';
  return 'Actual';
}

/** The texts of one `info` block, in one language. */
export interface CapText {
  /** BCP 47 tag, e.g. `en`, `kk-KZ` (CAP's `xs:language` takes every well-formed one). */
  language: string;
  event: string;
  /** The level's name in this language, as the `tocsin:levelName` parameter. */
  levelName: string;
  headline: string;
  description: string;
  instruction: string;
  /** Area names in this language by code; an area not named here keeps its English name. */
  areaNames?: Readonly<Record<string, string>>;
}

export interface CapContext {
  /** `sender` of every message, e.g. `tocsin@alerts.example.org` (see capSender). */
  sender: string;
  /** The declaration's page, for `web`. */
  web: string;
  severity: CapSeverity;
  /** The areas of the declaration, in its order. */
  areas: readonly Area[];
  /** The declarations it replaced when it started (an Update references their messages). */
  supersedes: readonly Pick<Declaration, 'id' | 'createdAt'>[];
  /** One `info` per language; at least one. */
  texts: readonly CapText[];
}

/** `sender` for messages of the service at `publicUrl`: CAP wants a name unique to the sender, like an address. */
export function capSender(publicUrl: string): string {
  return `tocsin@${new URL(publicUrl).hostname}`;
}

/** The `identifier` of a declaration's message. Declaration ids (`dcl_<uuid>`) have no space, comma, `<` or `&`. */
export function capIdentifier(declarationId: string): string {
  return declarationId;
}

/** The `identifier` of the message that cancels a declaration: a message of its own, so it differs. */
export function capCancelIdentifier(declarationId: string): string {
  return `${declarationId}.cancel`;
}

/**
 * A CAP date-time: seconds, no fraction, and an offset instead of `Z`, which the schema rejects. CAP 1.2
 * (§3.3.2) spells UTC as "-00:00".
 */
export function capTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19)}-00:00`;
}

/** A `references` entry: `sender,identifier,sent`. */
function reference(sender: string, identifier: string, sent: Date): string {
  return `${sender},${identifier},${capTime(sent)}`;
}

export function capMessageType(
  declaration: Declaration,
  context: Pick<CapContext, 'supersedes'>,
): CapMessageType {
  if (declaration.cancelledAt) return 'Cancel';
  return context.supersedes.length ? 'Update' : 'Alert';
}

/**
 * Urgency as of the moment the message was sent, so a message never changes once sent: Past for history
 * recorded after the fact or a Cancel, Future for a later start (Expected within the hour), else Immediate.
 */
function urgencyOf(declaration: Declaration, sent: Date): string {
  if (declaration.cancelledAt || (declaration.expiresAt && declaration.expiresAt <= sent)) return 'Past';
  const lead = declaration.effectiveAt.getTime() - sent.getTime();
  return lead > 3_600_000 ? 'Future' : lead > 0 ? 'Expected' : 'Immediate';
}

// A threat level is an assessment, never an observation, so at most Likely; the lower levels say an attack is possible.
function certaintyOf(severity: CapSeverity): string {
  return severity === 'Extreme' || severity === 'Severe' ? 'Likely' : 'Possible';
}

// CAP meant `note` chiefly for exercises: a reader of the bare document sees why it changes nothing.
const STATUS_NOTES: Partial<Record<CapStatus, string>> = {
  Exercise: 'Exercise: no threat level has changed.',
  Test: 'Test: no threat level has changed.',
  Draft: 'Not issued: this declaration awaits approval, or was rejected.',
};

function addValue(parent: XMLBuilder, element: string, valueName: string, value: string): void {
  parent.ele(element).ele('valueName').txt(valueName).up().ele('value').txt(value);
}

/** The CAP message of `declaration`: its Alert, its Update of what it replaced, or, once cancelled, the Cancel. */
export function renderCap(declaration: Declaration, context: CapContext): string {
  const msgType = capMessageType(declaration, context);
  const sent = declaration.cancelledAt ?? declaration.createdAt;
  const references =
    msgType === 'Cancel'
      ? [reference(context.sender, capIdentifier(declaration.id), declaration.createdAt)]
      : context.supersedes.map((d) => reference(context.sender, capIdentifier(d.id), d.createdAt));

  // Control characters cannot appear in XML 1.0 at all; they are replaced rather than failing the document.
  const alert = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele(
    CAP_NAMESPACE,
    'alert',
  );
  alert
    .ele('identifier')
    .txt(msgType === 'Cancel' ? capCancelIdentifier(declaration.id) : capIdentifier(declaration.id));
  alert.ele('sender').txt(context.sender);
  alert.ele('sent').txt(capTime(sent));
  const status = capStatus(declaration);
  alert.ele('status').txt(status);
  alert.ele('msgType').txt(msgType);
  alert.ele('scope').txt('Public');
  const note =
    msgType === 'Cancel' && declaration.cancelReason
      ? declaration.cancelReason
      : (STATUS_NOTES[status] ?? null);
  if (note) alert.ele('note').txt(note);
  if (references.length) alert.ele('references').txt(references.join(' '));

  for (const text of context.texts) {
    const info = alert.ele('info');
    info.ele('language').txt(text.language);
    info.ele('category').txt('Security');
    info.ele('event').txt(text.event);
    info.ele('urgency').txt(urgencyOf(declaration, sent));
    info.ele('severity').txt(context.severity);
    info.ele('certainty').txt(certaintyOf(context.severity));
    info.ele('effective').txt(capTime(declaration.effectiveAt));
    if (declaration.expiresAt) info.ele('expires').txt(capTime(declaration.expiresAt));
    info.ele('senderName').txt(declaration.authority);
    info.ele('headline').txt(text.headline);
    info.ele('description').txt(text.description);
    if (text.instruction) info.ele('instruction').txt(text.instruction);
    info.ele('web').txt(context.web);
    addValue(info, 'parameter', 'tocsin:scheme', declaration.schemeId);
    addValue(info, 'parameter', 'tocsin:level', declaration.level.code);
    addValue(info, 'parameter', 'tocsin:rank', String(declaration.level.rank));
    addValue(info, 'parameter', 'tocsin:levelName', text.levelName);
    for (const area of context.areas) {
      const areaElement = info.ele('area');
      areaElement.ele('areaDesc').txt(text.areaNames?.[area.code] ?? area.name);
      addValue(
        areaElement,
        'geocode',
        area.type === 'country' ? 'ISO 3166-1 alpha-2' : 'ISO 3166-2',
        area.code,
      );
    }
  }
  return alert.end({ prettyPrint: true });
}

// Pure: the email a subscriber gets for a `threat_level.changed` event, in text and HTML (every value
// escaped), with RFC 8058 one-click unsubscribe headers and a Message-ID that is stable per delivery.
import type { ChangedLevel, LevelChangedEvent } from '@tocsin/declarations';
import escape from 'escape-html';

export interface AlertEmailContext {
  event: LevelChangedEvent;
  /** The changes of the event that match this subscriber's filter (at least one). */
  changes: LevelChangedEvent['data']['changes'];
  /** The scheme's `event` text, e.g. "terrorism threat level". */
  schemeEvent: string;
  deliveryId: string;
  declarationUrl: string;
  manageUrl: string;
  unsubscribeUrl: string;
  /** Host part of the Message-ID, e.g. the PUBLIC_URL host. */
  messageIdHost: string;
}

export interface AlertEmail {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

const levelWords = (level: ChangedLevel) => `${level.name.toUpperCase()} (${level.code})`;

/** "Kazakhstan — terrorism threat level CRITICAL (red)", or "… lifted" when no level remains. */
export function alertSubject(
  change: AlertEmailContext['changes'][number],
  schemeEvent: string,
  others: number,
): string {
  const where =
    others > 0 ? `${change.area.name} and ${others} more area${others > 1 ? 's' : ''}` : change.area.name;
  const what = change.current
    ? `${schemeEvent} ${levelWords(change.current)}`
    : `${schemeEvent} lifted${change.previous ? ` (was ${levelWords(change.previous)})` : ''}`;
  return `${where} — ${what}`;
}

function changeLine(change: AlertEmailContext['changes'][number]): string {
  const from = change.previous ? levelWords(change.previous) : 'no level';
  const to = change.current ? levelWords(change.current) : 'no level';
  return `${change.area.name} (${change.area.code}): ${from} → ${to}`;
}

function validity(event: LevelChangedEvent): string {
  const d = event.data.declaration;
  const until = d.expiresAt ? `until ${d.expiresAt}` : 'until further notice';
  if (event.data.cause === 'cancelled') return `Cancelled at ${event.timestamp}.`;
  if (event.data.cause === 'expired') return `Expired at ${event.timestamp}.`;
  return `In force from ${d.effectiveAt}, ${until}.`;
}

export function alertEmail(context: AlertEmailContext): AlertEmail {
  const { event, changes } = context;
  const d = event.data.declaration;
  const subject = alertSubject(changes[0], context.schemeEvent, changes.length - 1);
  const lines = changes.map(changeLine);
  const text = [
    d.headline,
    '',
    ...lines,
    '',
    validity(event),
    '',
    d.summary,
    ...(d.measures.length ? ['', 'Measures:', ...d.measures.map((m) => `- ${m}`)] : []),
    '',
    `Issued by ${d.authority}.`,
    `Details: ${context.declarationUrl}`,
    '',
    `Change what you receive: ${context.manageUrl}`,
    `Unsubscribe: ${context.unsubscribeUrl}`,
  ].join('\n');
  const html = `<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5">
<h1 style="font-size: 1.3rem">${escape(d.headline)}</h1>
<ul>${lines.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>
<p>${escape(validity(event))}</p>
<p>${escape(d.summary)}</p>
${d.measures.length ? `<h2 style="font-size: 1.1rem">Measures</h2><ul>${d.measures.map((m) => `<li>${escape(m)}</li>`).join('')}</ul>` : ''}
<p>Issued by ${escape(d.authority)}. <a href="${escape(context.declarationUrl)}">Details</a></p>
<p style="font-size: .9rem; color: #444"><a href="${escape(context.manageUrl)}">Change what you receive</a> · <a href="${escape(context.unsubscribeUrl)}">Unsubscribe</a></p>
</body></html>`;
  return {
    subject,
    text,
    html,
    messageId: `<${context.deliveryId}@${context.messageIdHost}>`,
    headers: {
      'List-Unsubscribe': `<${context.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Tocsin-Event-Id': event.data.eventId,
    },
  };
}

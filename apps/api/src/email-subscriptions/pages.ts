// Small server-rendered pages for the links in emails: a person clicking "confirm" or "unsubscribe" gets a
// page, not JSON. Every value is escaped.
import { EmailSubscription, FILTER_EVENTS } from '@tocsin/subscribers';

const escape = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Tocsin</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input[type=text], input[type=number], select { width: 100%; padding: .5rem; font: inherit; }
  fieldset { margin-top: 1rem; }
  button { margin-top: 1.5rem; padding: .6rem 1.2rem; font: inherit; background: #0d47a1; color: #fff; border: 0; border-radius: 4px; }
  button:focus, input:focus, select:focus { outline: 3px solid #ffb300; }
  .hint { color: #444; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>${escape(title)}</h1>
${body}
</main>
</body>
</html>`;
}

export const messagePage = (title: string, message: string): string =>
  page(title, `<p>${escape(message)}</p>`);

export function unsubscribeQuestionPage(token: string, subscription: EmailSubscription): string {
  if (subscription.status === 'unsubscribed') {
    return messagePage('Unsubscribed', 'This address is already unsubscribed from Tocsin alerts.');
  }
  return page(
    'Unsubscribe from Tocsin alerts?',
    `<p>No more threat-level alerts will be sent to this address.</p>
<form method="post" action="?token=${encodeURIComponent(token)}">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export interface PreferencesView {
  token: string;
  subscription: EmailSubscription;
  schemeIds: string[];
  unsubscribeUrl: string;
  saved: boolean;
}

export function preferencesPage({
  token,
  subscription,
  schemeIds,
  unsubscribeUrl,
  saved,
}: PreferencesView): string {
  const f = subscription.filter;
  const schemeOptions = ['', ...schemeIds]
    .map(
      (id) =>
        `<option value="${escape(id)}"${(f.schemeId ?? '') === id ? ' selected' : ''}>${escape(id || 'Every scheme')}</option>`,
    )
    .join('');
  const eventBoxes = FILTER_EVENTS.map(
    (event) =>
      `<label><input type="checkbox" name="events" value="${event}"${!f.events || f.events.includes(event) ? ' checked' : ''}> ${
        event === 'escalated' ? 'When a level rises' : 'When a level falls or ends'
      }</label>`,
  ).join('\n');
  return page(
    'Your Tocsin alerts',
    `${saved ? '<p role="status"><strong>Saved.</strong></p>' : ''}
<form method="post" action="?token=${encodeURIComponent(token)}">
<label for="areas">Areas</label>
<input type="text" id="areas" name="areas" value="${escape(f.areas.join(', '))}" aria-describedby="areas-hint" required>
<p class="hint" id="areas-hint">ISO 3166 codes separated by commas: KZ for all of Kazakhstan, KZ-75 for Almaty city, * for everywhere.</p>
<label for="scheme">Scheme</label>
<select id="scheme" name="scheme">${schemeOptions}</select>
<label for="minRank">Only when the level is at least (rank, 1 = lowest; empty = any)</label>
<input type="number" id="minRank" name="minRank" min="1" max="20" value="${f.minRank ?? ''}">
<fieldset><legend>Changes</legend>
${eventBoxes}
</fieldset>
<button type="submit">Save</button>
</form>
<p><a href="${escape(unsubscribeUrl)}">Unsubscribe instead</a></p>`,
  );
}

// Pure: the texts of the emails that manage a subscription. Every value shown is escaped in the HTML part.
import { findArea } from '@tocsin/areas';
import escapeHtml from 'escape-html';
import { SubscriptionFilter } from './subscription-filter';

export interface SubscriberEmail {
  subject: string;
  text: string;
  html: string;
}

/** The filter in words: "Kazakhstan (KZ), Almaty (KZ-75); scheme kz-terror; rank 2 and above; escalations only". */
export function describeFilter(filter: SubscriptionFilter): string {
  const areas = filter.areas.map((code) =>
    code === '*' ? 'everywhere' : `${findArea(code)?.name ?? code} (${code})`,
  );
  const parts = [areas.join(', ')];
  parts.push(filter.schemeId ? `scheme ${filter.schemeId}` : 'every scheme');
  if (filter.minRank !== null) parts.push(`when a level of rank ${filter.minRank} or above is involved`);
  if (filter.events?.length === 1)
    parts.push(filter.events[0] === 'escalated' ? 'escalations only' : 'de-escalations only');
  return parts.join('; ');
}

function render(lines: { text: string; link?: { label: string; url: string } }[]): {
  text: string;
  html: string;
} {
  const text = lines.map((l) => (l.link ? `${l.text}\n${l.link.url}` : l.text)).join('\n\n');
  const html = lines
    .map((l) =>
      l.link
        ? `<p>${escapeHtml(l.text)}<br><a href="${escapeHtml(l.link.url)}">${escapeHtml(l.link.label)}</a></p>`
        : `<p>${escapeHtml(l.text)}</p>`,
    )
    .join('\n');
  return { text, html: `<!doctype html>\n<html><body>\n${html}\n</body></html>` };
}

export function confirmationEmail(filter: SubscriptionFilter, confirmUrl: string): SubscriberEmail {
  return {
    subject: 'Confirm your Tocsin threat-level alerts',
    ...render([
      {
        text: `Someone, hopefully you, asked to receive Tocsin threat-level alerts for: ${describeFilter(filter)}.`,
      },
      {
        text: 'To start receiving them, confirm this address (the link is valid for 7 days):',
        link: { label: 'Confirm my subscription', url: confirmUrl },
      },
      { text: 'If you did not ask for this, ignore this email: nothing will be sent to you.' },
    ]),
  };
}

/** Sent instead of a confirmation when the address is already subscribed, so sign-up reveals nothing. */
export function alreadySubscribedEmail(
  filter: SubscriptionFilter,
  manageUrl: string,
  unsubscribeUrl: string,
): SubscriberEmail {
  return {
    subject: 'Your Tocsin threat-level alerts',
    ...render([
      {
        text: `Someone asked to subscribe this address to Tocsin alerts. It is already subscribed, for: ${describeFilter(filter)}.`,
      },
      { text: 'To change what you receive:', link: { label: 'Manage my alerts', url: manageUrl } },
      { text: 'To stop receiving alerts:', link: { label: 'Unsubscribe', url: unsubscribeUrl } },
    ]),
  };
}

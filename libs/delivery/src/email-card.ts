// Pure: the HTML page of a subscriber's digest and trip summary, a white card on grey with the manage and
// unsubscribe links at its foot; what goes inside is each email's own (already escaped).
import escape from 'escape-html';
import { FONT } from './alert-email';

export interface EmailCardInput {
  /** The UI language the page is written in (its `lang`). */
  lang: string;
  /** The subject, as the page's title. */
  title: string;
  /** The card's content: HTML, every value in it escaped by the caller. */
  body: string;
  manageUrl: string;
  manageLabel: string;
  unsubscribeUrl: string;
  unsubscribeLabel: string;
}

export function emailCardHtml(input: EmailCardInput): string {
  const link = (url: string, label: string) =>
    `<a href="${escape(url)}" style="color: #1a237e">${escape(label)}</a>`;
  return `<!doctype html>
<html lang="${escape(input.lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(input.title)}</title></head>
<body style="margin: 0; padding: 0; background-color: #f4f4f4">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f4f4f4"><tr><td align="center" style="padding: 16px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width: 600px; background-color: #ffffff; border: 1px solid #dddddd; ${FONT}; font-size: 16px; line-height: 1.5; color: #1a1a1a"><tr><td style="padding: 20px 24px">
${input.body}
<p style="margin: 0; padding-top: 12px; border-top: 1px solid #e0e0e0; font-size: 14px; color: #444444">${link(input.manageUrl, input.manageLabel)} · ${link(input.unsubscribeUrl, input.unsubscribeLabel)}</p>
</td></tr></table>
</td></tr></table>
</body></html>`;
}

// Pure: the email telling approvers (APPROVAL_NOTIFY_EMAILS) that a declaration or its cancellation awaits
// a second key. Plain text and HTML, every value from a publisher escaped.
import { findArea } from '@tocsin/areas';
import escapeHtml from 'escape-html';
import { Declaration } from './declaration';

/** What awaits approval: the declaration's publication, or its cancellation. */
export const APPROVAL_ASKS = ['publication', 'cancellation'] as const;
export type ApprovalAsk = (typeof APPROVAL_ASKS)[number];

export interface ApprovalNoticeMail {
  subject: string;
  text: string;
  html: string;
}

/** The email for one ask; `consoleUrl` is where an approver approves or rejects it. */
export function approvalNoticeMail(
  declaration: Declaration,
  asked: ApprovalAsk,
  consoleUrl: string,
): ApprovalNoticeMail {
  const areas = declaration.areaCodes.map((code) => `${findArea(code)?.name ?? code} (${code})`).join(', ');
  const level = `${declaration.level.name} (${declaration.level.code})`;
  const mode = (declaration.mode ?? 'actual') === 'actual' ? '' : `[${declaration.mode!.toUpperCase()}] `;
  const askedBy =
    asked === 'publication' ? declaration.createdBy : (declaration.cancelRequest?.requestedBy.name ?? '?');
  const reason = asked === 'cancellation' ? (declaration.cancelRequest?.reason ?? null) : null;
  const subject =
    asked === 'publication'
      ? `${mode}Approval needed: ${level} for ${areas}`
      : `${mode}Approval needed to cancel: ${level} for ${areas}`;
  const lines: [string, string][] = [
    ['Declaration', declaration.id],
    ['Scheme', declaration.schemeId],
    ['Level', level],
    ['Areas', areas],
    ['Headline', declaration.headline],
    ['Effective', declaration.effectiveAt.toISOString()],
    ['Expires', declaration.expiresAt?.toISOString() ?? 'until further notice'],
    ['Asked by', askedBy],
    ...(reason ? ([['Reason', reason]] as [string, string][]) : []),
  ];
  const intro =
    asked === 'publication'
      ? 'A declaration awaits approval by a second key. Nothing is announced until someone other than its publisher approves it.'
      : 'The cancellation of a declaration awaits approval by a second key. The declaration stays in force until someone other than the one who asked approves it.';
  const text = [
    intro,
    '',
    ...lines.map(([label, value]) => `${label}: ${value}`),
    '',
    `Approve or reject it in the console: ${consoleUrl}`,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    '<table>',
    ...lines.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    `<p><a href="${escapeHtml(consoleUrl)}">Approve or reject it in the console</a></p>`,
  ].join('\n');
  return { subject: subject.replace(/[\r\n]+/g, ' '), text, html };
}

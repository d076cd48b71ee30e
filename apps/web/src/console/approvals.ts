// What waits for a second key (DESIGN.md §5.4): declarations pending approval, each with who published it,
// when, and the reach it would have now (POST /v1/declarations/preview), and publishers' cancellations of
// declarations that needed approval, with who asked and why. Approve / Reject for every publisher or admin but
// the one who asked, whom the server would refuse (403) anyway.

import { api, ApiError, Declaration, listSchemes, Page, Preview } from '../api';
import { h, time } from '../dom';
import { t, tNodes } from '../i18n';
import { levelChip } from '../level-chip';
import { areaName, declarationText } from '../localised';
import { changeDirection, declarationCard } from '../pages/country';
import { askedBy, awaitedDecision, previewRequestOf } from './approval-rules';
import type { Session } from './session';

export async function approvalsScreen(session: Session): Promise<HTMLElement> {
  await listSchemes();
  const heading = h('h2', { id: 'approvals-heading', tabindex: -1 }, t('web.console.tab.approvals'));
  // Results of Approve and Reject are read out here, where they stay once their card is gone.
  const status = h('div', { class: 'form-status', role: 'status' });
  const count = h('p', { class: 'approval-count' });
  const list = h('div', { class: 'declarations', 'aria-labelledby': 'approvals-heading' });
  const recount = () => {
    const n = list.childElementCount;
    count.textContent = n ? t('web.approvals.count', { count: n }) : t('web.approvals.none');
  };
  const page = await api<Page<Declaration>>('/v1/declarations?awaitingApproval=true&limit=100', {
    key: session.key,
  });
  const done = (card: HTMLElement, message: string) => {
    card.remove();
    recount();
    status.textContent = message;
    heading.focus();
  };
  const awaiting = page.items.filter((d) => awaitedDecision(d) !== null);
  list.append(...(await Promise.all(awaiting.map((d) => pendingCard(session, d, status, done)))));
  recount();
  return h('div', {}, heading, h('p', { class: 'lead' }, t('web.approvals.lead')), count, status, list);
}

async function pendingCard(
  session: Session,
  d: Declaration,
  status: HTMLElement,
  done: (card: HTMLElement, message: string) => void,
): Promise<HTMLElement> {
  const card = declarationCard(d);
  const cancellation = awaitedDecision(d) === 'cancellation';
  card.dataset.awaiting = cancellation ? 'cancellation' : 'publication';
  if (cancellation) {
    const request = d.cancelRequest!;
    card.append(
      h(
        'p',
        { class: 'meta asked-by' },
        ...tNodes('web.approvals.cancelAsked', {
          name: request.requestedBy.name,
          time: time(request.requestedAt),
        }),
      ),
      ...(request.reason
        ? [h('p', { class: 'cancel-reason' }, t('web.approvals.cancelReason', { reason: request.reason }))]
        : []),
      h('p', { class: 'reach' }, t('web.console.cancel.consequence')),
    );
  } else {
    card.append(
      h(
        'p',
        { class: 'meta asked-by' },
        ...tNodes('web.approvals.asked', { name: d.createdBy, time: time(d.createdAt) }),
      ),
      await reachOf(session, d),
    );
  }
  if (askedBy(d, session)) {
    card.append(
      h(
        'p',
        { class: 'approval-waiting' },
        t(cancellation ? 'web.approvals.cancelWaiting' : 'web.approvals.waiting'),
      ),
    );
    return card;
  }
  const headline = declarationText(d).headline;
  const approve = h(
    'button',
    {
      type: 'button',
      'aria-label': t(cancellation ? 'web.approvals.approveCancelLabel' : 'web.approvals.approveLabel', {
        headline,
      }),
    },
    t(cancellation ? 'web.approvals.approveCancel' : 'web.approvals.approve'),
  );
  approve.addEventListener('click', async () => {
    approve.disabled = true;
    try {
      const decided = await api<Declaration>(`/v1/declarations/${encodeURIComponent(d.id)}/approve`, {
        method: 'POST',
        body: {},
        key: session.key,
      });
      done(
        card,
        cancellation
          ? t('web.console.cancel.done', { headline })
          : decided.status === 'scheduled'
            ? t('web.approvals.approvedScheduled', { headline })
            : t('web.approvals.approved', { headline }),
      );
    } catch (error) {
      approve.disabled = false;
      status.textContent = error instanceof ApiError ? error.message : String(error);
    }
  });
  card.append(
    h(
      'div',
      { class: 'approval-actions' },
      approve,
      rejectControl(session, d, headline, cancellation, card, status, done),
    ),
  );
  return card;
}

/** "It will reach 2 webhook endpoints and 1 email subscriber", and the changes, as the publish review says. */
async function reachOf(session: Session, d: Declaration): Promise<HTMLElement> {
  let preview: Preview;
  try {
    preview = await api<Preview>('/v1/declarations/preview', {
      method: 'POST',
      body: previewRequestOf(d),
      key: session.key,
    });
  } catch (error) {
    return h(
      'p',
      { class: 'reach meta' },
      t('web.approvals.previewFailed', {
        reason: error instanceof ApiError ? error.message : String(error),
      }),
    );
  }
  const names = new Map(d.areas.map((a) => [a.code, areaName(a)]));
  return h(
    'div',
    { class: 'reach-preview' },
    h(
      'p',
      { class: 'reach', 'data-webhooks': preview.webhooks, 'data-emails': preview.emails },
      preview.changes.length
        ? t('web.publish.reach', { webhooks: preview.webhooks, emails: preview.emails })
        : t('web.publish.reachNobody'),
    ),
    preview.changes.length
      ? h(
          'ul',
          { class: 'changes' },
          ...preview.changes.map((c) =>
            h(
              'li',
              {},
              `${t('web.area.withCode', { name: names.get(c.area.code) ?? areaName(c.area), code: c.area.code })}: `,
              c.previous ? levelChip(c.previous, c.scheme) : t('web.publish.noLevel'),
              ' → ',
              c.current ? levelChip(c.current, c.scheme) : t('web.publish.noLevel'),
              ` — ${changeDirection(c.direction)}`,
            ),
          ),
        )
      : null,
  );
}

/** A Reject button that asks for the (required) reason in a modal dialog, as cancelling does. */
function rejectControl(
  session: Session,
  d: Declaration,
  headline: string,
  cancellation: boolean,
  card: HTMLElement,
  status: HTMLElement,
  done: (card: HTMLElement, message: string) => void,
): HTMLElement {
  const reasonId = `reject-reason-${d.id}`;
  const reason = h('textarea', {
    id: reasonId,
    rows: 3,
    maxlength: 1000,
    required: true,
    'aria-describedby': `${reasonId}-error`,
  });
  const reasonError = h('p', { class: 'field-error', id: `${reasonId}-error`, role: 'alert' });
  const words = cancellation
    ? {
        question: 'web.approvals.rejectCancelQuestion',
        consequence: 'web.approvals.rejectCancelConsequence',
        confirm: 'web.approvals.rejectCancelConfirm',
        open: 'web.approvals.rejectCancelLabel',
        done: 'web.approvals.cancelRejected',
      }
    : {
        question: 'web.approvals.rejectQuestion',
        consequence: 'web.approvals.rejectConsequence',
        confirm: 'web.approvals.rejectConfirm',
        open: 'web.approvals.rejectLabel',
        done: 'web.approvals.rejected',
      };
  const confirm = h('button', { type: 'submit', class: 'danger' }, t(words.confirm));
  const dialog = h(
    'dialog',
    { 'aria-labelledby': `reject-title-${d.id}` },
    h(
      'form',
      { method: 'dialog', class: 'stack', novalidate: true },
      h('h3', { id: `reject-title-${d.id}` }, t(words.question, { headline })),
      h('p', {}, t(words.consequence)),
      h('label', { for: reasonId }, t('web.approvals.rejectReason')),
      reason,
      reasonError,
      h(
        'div',
        { class: 'button-row' },
        confirm,
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => dialog.close() },
          t('web.approvals.keep'),
        ),
      ),
    ),
  );
  const open = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'aria-label': t(words.open, { headline }),
      onclick: () => dialog.showModal(),
    },
    t('web.approvals.reject'),
  );
  confirm.addEventListener('click', async (event) => {
    event.preventDefault();
    const why = reason.value.trim();
    if (!why) {
      reasonError.textContent = t('web.approvals.rejectReasonMissing');
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    confirm.disabled = true;
    try {
      await api(`/v1/declarations/${encodeURIComponent(d.id)}/reject`, {
        method: 'POST',
        body: { reason: why },
        key: session.key,
      });
      dialog.close();
      done(card, t(words.done, { headline }));
    } catch (error) {
      confirm.disabled = false;
      dialog.close();
      status.textContent = error instanceof ApiError ? error.message : String(error);
    }
  });
  return h('div', {}, open, dialog);
}

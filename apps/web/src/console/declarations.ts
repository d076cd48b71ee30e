// Declarations in force and scheduled ones, each with a cancel button (publishers and admins), and for a
// scheduled one the progress of its deliveries once it starts.

import { api, ApiError, Declaration, listSchemes, Page } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { declarationText } from '../localised';
import { declarationCard } from '../pages/country';
import { deliveryProgress } from './progress';
import { can, Session } from './session';

export async function declarationsScreen(session: Session): Promise<HTMLElement> {
  await listSchemes();
  const status = h('div', { class: 'form-status', role: 'status' });
  const screen = h('div', {}, h('h2', {}, t('web.console.tab.declarations')), status);

  for (const [state, title] of [
    ['active', t('web.console.declarations.inForce')],
    ['scheduled', t('web.console.declarations.scheduled')],
  ] as const) {
    const page = await api<Page<Declaration>>(`/v1/declarations?status=${state}&limit=100`);
    screen.append(
      h('h3', {}, title),
      page.items.length
        ? h(
            'div',
            { class: 'declarations' },
            ...page.items.map((d) => {
              const card = declarationCard(d);
              if (can.publish(session)) card.append(cancelControl(session, d, card, status));
              // A scheduled one's deliveries go out at its start: its progress shows from then.
              if (state === 'scheduled' && can.publish(session))
                card.append(deliveryProgress(session, d.id, d.effectiveAt));
              return card;
            }),
          )
        : h(
            'p',
            {},
            state === 'active'
              ? t('web.console.declarations.noneInForce')
              : t('web.console.declarations.noneScheduled'),
          ),
    );
  }
  return screen;
}

/** A cancel button that asks for a reason in a modal dialog (focus stays inside it; Escape closes it). */
function cancelControl(
  session: Session,
  d: Declaration,
  card: HTMLElement,
  status: HTMLElement,
): HTMLElement {
  const headline = declarationText(d).headline;
  const reason = h('textarea', { id: `reason-${d.id}`, rows: 3, maxlength: 1000 });
  const confirm = h('button', { type: 'submit' }, t('web.console.cancel.confirm'));
  const dialog = h(
    'dialog',
    { 'aria-labelledby': `cancel-title-${d.id}` },
    h(
      'form',
      { method: 'dialog', class: 'stack' },
      h('h3', { id: `cancel-title-${d.id}` }, t('web.console.cancel.question', { headline })),
      h('p', {}, t('web.console.cancel.consequence')),
      h('label', { for: `reason-${d.id}` }, t('web.console.cancel.reason')),
      reason,
      h(
        'div',
        { class: 'button-row' },
        confirm,
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => dialog.close() },
          t('web.console.cancel.keep'),
        ),
      ),
    ),
  );
  const open = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      'aria-label': t('web.console.cancel.openLabel', { headline }),
      onclick: () => dialog.showModal(),
    },
    t('web.console.cancel.open'),
  );
  confirm.addEventListener('click', async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    try {
      const after = await api<Declaration>(`/v1/declarations/${d.id}/cancel`, {
        method: 'POST',
        body: reason.value.trim() ? { reason: reason.value.trim() } : {},
        key: session.key,
      });
      dialog.close();
      // A publisher's cancel of one that needed approval is a request (202): it stays in force meanwhile.
      if (after && !after.cancelledAt && after.cancelRequest) {
        status.textContent = t('web.console.cancel.requested', { headline });
        open.disabled = true;
        return;
      }
      card.remove();
      status.textContent = t('web.console.cancel.done', { headline });
    } catch (error) {
      confirm.disabled = false;
      status.textContent = error instanceof ApiError ? error.message : String(error);
      dialog.close();
    }
  });
  return h('div', { class: 'button-row' }, open, dialog);
}

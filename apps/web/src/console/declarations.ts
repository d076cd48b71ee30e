// Declarations in force and scheduled ones, each with a cancel button (publishers and admins).

import { api, ApiError, Declaration, listSchemes, Page } from '../api';
import { h } from '../dom';
import { declarationCard } from '../pages/country';
import { can, Session } from './session';

export async function declarationsScreen(session: Session): Promise<HTMLElement> {
  const schemes = new Map((await listSchemes()).map((s) => [s.id, s.name]));
  const schemeName = (id: string) => schemes.get(id) ?? id;
  const status = h('div', { class: 'form-status', role: 'status' });
  const screen = h('div', {}, h('h2', {}, 'Declarations'), status);

  for (const [state, title] of [
    ['active', 'In force'],
    ['scheduled', 'Scheduled'],
  ] as const) {
    const page = await api<Page<Declaration>>(`/v1/declarations?status=${state}&limit=100`);
    screen.append(
      h('h3', {}, title),
      page.items.length
        ? h(
            'div',
            { class: 'declarations' },
            ...page.items.map((d) => {
              const card = declarationCard(d, schemeName);
              if (can.publish(session)) card.append(cancelControl(session, d, card, status));
              return card;
            }),
          )
        : h('p', {}, state === 'active' ? 'No declaration is in force.' : 'Nothing is scheduled.'),
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
  const reason = h('textarea', { id: `reason-${d.id}`, rows: 3, maxlength: 1000 });
  const confirm = h('button', { type: 'submit' }, 'Cancel the declaration');
  const dialog = h(
    'dialog',
    { 'aria-labelledby': `cancel-title-${d.id}` },
    h(
      'form',
      { method: 'dialog', class: 'stack' },
      h('h3', { id: `cancel-title-${d.id}` }, `Cancel “${d.headline}”?`),
      h('p', {}, 'Its level ends now for every area it covers, and subscribers are told.'),
      h('label', { for: `reason-${d.id}` }, 'Reason (optional, kept in the record)'),
      reason,
      h(
        'div',
        { class: 'button-row' },
        confirm,
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Keep it'),
      ),
    ),
  );
  const open = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      'aria-label': `Cancel “${d.headline}”…`,
      onclick: () => dialog.showModal(),
    },
    'Cancel…',
  );
  confirm.addEventListener('click', async (event) => {
    event.preventDefault();
    confirm.disabled = true;
    try {
      await api(`/v1/declarations/${d.id}/cancel`, {
        method: 'POST',
        body: reason.value.trim() ? { reason: reason.value.trim() } : {},
        key: session.key,
      });
      dialog.close();
      card.remove();
      status.textContent = `“${d.headline}” is cancelled.`;
    } catch (error) {
      confirm.disabled = false;
      status.textContent = error instanceof ApiError ? error.message : String(error);
      dialog.close();
    }
  });
  return h('div', { class: 'button-row' }, open, dialog);
}

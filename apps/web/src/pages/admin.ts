// `/admin`: the console. Sign in with an API key; the screens shown depend on the key's role.

import { ApiError } from '../api';
import { h, showPage } from '../dom';
import { declarationsScreen } from '../console/declarations';
import { publishScreen } from '../console/publish';
import { can, currentSession, Session, signIn, signOut } from '../console/session';
import { failedDeliveriesScreen, webhooksScreen } from '../console/webhooks';

interface Screen {
  id: string;
  title: string;
  allowed: (s: Session) => boolean;
  render: (s: Session) => Promise<HTMLElement> | HTMLElement;
}

const SCREENS: Screen[] = [
  { id: 'publish', title: 'Publish', allowed: can.publish, render: publishScreen },
  { id: 'declarations', title: 'Declarations', allowed: () => true, render: declarationsScreen },
  { id: 'webhooks', title: 'Webhooks', allowed: can.webhooks, render: webhooksScreen },
  { id: 'deliveries', title: 'Failed deliveries', allowed: can.webhooks, render: failedDeliveriesScreen },
  { id: 'queues', title: 'Queues', allowed: can.queues, render: queuesScreen },
];

export function adminPage(): void {
  const session = currentSession();
  if (session) showConsole(session);
  else showSignIn();
}

function showSignIn(): void {
  const key = h('input', {
    id: 'api-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'api-key-hint api-key-error',
  });
  const error = h('p', { id: 'api-key-error', class: 'field-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'stack narrow' },
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, 'API key'), key, error),
    h(
      'p',
      { class: 'hint', id: 'api-key-hint' },
      'A key starting with tk_. It is kept in this browser tab only (session storage) until you sign out or close the tab.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      showConsole(await signIn(key.value.trim()));
    } catch (e) {
      error.textContent =
        e instanceof ApiError && e.status === 401 ? 'This key is unknown or revoked.' : (e as Error).message;
      key.setAttribute('aria-invalid', 'true');
      key.focus();
    }
  });
  showPage(
    'Console',
    h('h1', {}, 'Console'),
    h('p', { class: 'lead' }, 'For publishers, integrators and admins.'),
    form,
  );
  key.focus();
}

function showConsole(session: Session): void {
  const screens = SCREENS.filter((s) => s.allowed(session));
  const nav = h('nav', { 'aria-label': 'Console', class: 'tabs' });
  const panel = h('div', { class: 'console-panel', tabindex: -1 });
  const signOutButton = h('button', { type: 'button', class: 'secondary small' }, 'Sign out');
  signOutButton.addEventListener('click', async () => {
    await signOut();
    location.hash = '';
    showSignIn();
  });

  const render = async (moveFocus: boolean) => {
    const wanted = location.hash.slice(1);
    const screen = screens.find((s) => s.id === wanted) ?? screens[0];
    nav.replaceChildren(
      h(
        'ul',
        {},
        ...screens.map((s) =>
          h('li', {}, h('a', { href: `#${s.id}`, 'aria-current': s === screen ? 'page' : null }, s.title)),
        ),
      ),
    );
    panel.replaceChildren(h('p', {}, 'Loading…'));
    try {
      panel.replaceChildren(await screen.render(session));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        await signOut();
        showSignIn();
        return;
      }
      panel.replaceChildren(h('p', { class: 'error' }, (error as Error).message));
    }
    document.title = `${screen.title} — Console — Tocsin`;
    if (moveFocus) panel.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
    if (moveFocus) panel.querySelector<HTMLElement>('h2')?.focus();
  };

  showPage(
    'Console',
    h(
      'div',
      { class: 'console-header' },
      h('h1', {}, 'Console'),
      h(
        'p',
        { class: 'meta' },
        `Signed in as ${session.caller.name} (${session.caller.role}) `,
        signOutButton,
      ),
    ),
    nav,
    panel,
  );
  window.onhashchange = () => void render(true);
  void render(false);
}

function queuesScreen(session: Session): HTMLElement {
  const open = h('button', { type: 'button' }, 'Open the queue board');
  const status = h('p', { role: 'status', class: 'form-status' });
  open.addEventListener('click', async () => {
    // The board is a page of its own, which cannot send a Bearer header: trade the key for a session cookie.
    const response = await fetch('/admin/queues/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${session.key}` },
    });
    if (response.ok) location.assign('/admin/queues');
    else status.textContent = 'The queue board needs an admin key.';
  });
  return h(
    'div',
    {},
    h('h2', {}, 'Queues'),
    h(
      'p',
      {},
      'The BullMQ queues of fan-out and delivery (Bull Board): waiting, active, delayed and failed jobs.',
    ),
    open,
    status,
  );
}

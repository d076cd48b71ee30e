// `/admin`: the console. Sign in with an API key; the screens shown depend on the key's role.

import { ApiError } from '../api';
import { h, showPage } from '../dom';
import { t } from '../i18n';
import { approvalsScreen } from '../console/approvals';
import { declarationsScreen } from '../console/declarations';
import { publishScreen } from '../console/publish';
import { can, currentSession, Session, signIn, signOut } from '../console/session';
import { sourcesScreen } from '../console/sources';
import { failedDeliveriesScreen, webhooksScreen } from '../console/webhooks';

interface Screen {
  id: string;
  /** The catalog key of its title. */
  title: string;
  allowed: (s: Session) => boolean;
  render: (s: Session) => Promise<HTMLElement> | HTMLElement;
}

const SCREENS: Screen[] = [
  { id: 'publish', title: 'web.console.tab.publish', allowed: can.publish, render: publishScreen },
  { id: 'approvals', title: 'web.console.tab.approvals', allowed: can.publish, render: approvalsScreen },
  {
    id: 'declarations',
    title: 'web.console.tab.declarations',
    allowed: () => true,
    render: declarationsScreen,
  },
  { id: 'webhooks', title: 'web.console.tab.webhooks', allowed: can.webhooks, render: webhooksScreen },
  {
    id: 'deliveries',
    title: 'web.console.tab.deliveries',
    allowed: can.webhooks,
    render: failedDeliveriesScreen,
  },
  { id: 'sources', title: 'web.console.tab.sources', allowed: can.sources, render: sourcesScreen },
  { id: 'queues', title: 'web.console.tab.queues', allowed: can.queues, render: queuesScreen },
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
    h('div', { class: 'field' }, h('label', { for: 'api-key' }, t('web.console.apiKey')), key, error),
    h('p', { class: 'hint', id: 'api-key-hint' }, t('web.console.apiKeyHint')),
    h('button', { type: 'submit' }, t('web.console.signIn')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      showConsole(await signIn(key.value.trim()));
    } catch (e) {
      error.textContent =
        e instanceof ApiError && e.status === 401 ? t('web.console.keyUnknown') : (e as Error).message;
      key.setAttribute('aria-invalid', 'true');
      key.focus();
    }
  });
  showPage(
    t('web.console.title'),
    h('h1', {}, t('web.console.title')),
    h('p', { class: 'lead' }, t('web.console.lead')),
    form,
  );
  key.focus();
}

function showConsole(session: Session): void {
  const screens = SCREENS.filter((s) => s.allowed(session));
  const nav = h('nav', { 'aria-label': t('web.console.title'), class: 'tabs' });
  const panel = h('div', { class: 'console-panel', tabindex: -1 });
  const signOutButton = h('button', { type: 'button', class: 'secondary small' }, t('web.console.signOut'));
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
          h('li', {}, h('a', { href: `#${s.id}`, 'aria-current': s === screen ? 'page' : null }, t(s.title))),
        ),
      ),
    );
    panel.replaceChildren(h('p', {}, t('web.loading')));
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
    document.title = t('web.console.screenTitle', { screen: t(screen.title) });
    if (moveFocus) panel.querySelector<HTMLElement>('h2')?.setAttribute('tabindex', '-1');
    if (moveFocus) panel.querySelector<HTMLElement>('h2')?.focus();
  };

  showPage(
    t('web.console.title'),
    h(
      'div',
      { class: 'console-header' },
      h('h1', {}, t('web.console.title')),
      h(
        'p',
        { class: 'meta' },
        t('web.console.signedInAs', { name: session.caller.name, role: roleName(session.caller.role) }),
        ' ',
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
  const open = h('button', { type: 'button' }, t('web.console.queues.open'));
  const status = h('p', { role: 'status', class: 'form-status' });
  open.addEventListener('click', async () => {
    // The board is a page of its own, which cannot send a Bearer header: trade the key for a session cookie.
    const response = await fetch('/admin/queues/session', {
      method: 'POST',
      headers: { authorization: `Bearer ${session.key}` },
    });
    if (response.ok) location.assign('/admin/queues');
    else status.textContent = t('web.console.queues.adminOnly');
  });
  return h(
    'div',
    {},
    h('h2', {}, t('web.console.tab.queues')),
    h('p', {}, t('web.console.queues.lead')),
    open,
    status,
  );
}

const ROLES: Readonly<Record<Session['caller']['role'], string>> = {
  admin: 'web.console.role.admin',
  publisher: 'web.console.role.publisher',
  integrator: 'web.console.role.integrator',
  viewer: 'web.console.role.viewer',
};

const roleName = (role: Session['caller']['role']): string => (ROLES[role] ? t(ROLES[role]) : role);

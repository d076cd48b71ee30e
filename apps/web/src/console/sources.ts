// Ingest sources (admin): each feed or push source with its state — kind, on or off, last fetch, its status and
// error, what it has brought — and, on request, the documents it brought with their outcome and reason.

import { api, ApiError, listSchemes, Page, Source, SourceItem } from '../api';
import { h, time } from '../dom';
import { t } from '../i18n';
import { schemeName } from '../localised';
import { unavailable } from './deliveries';
import type { Session } from './session';
import {
  countsText,
  healthClass,
  healthText,
  kindText,
  outcomeClass,
  outcomeText,
  sourceHealth,
  statusText,
} from './source-state';

export async function sourcesScreen(session: Session): Promise<HTMLElement> {
  await listSchemes();
  const screen = h('div', {}, h('h2', {}, t('web.console.tab.sources')));
  let page: Page<Source>;
  try {
    page = await api<Page<Source>>('/v1/sources?limit=100', { key: session.key });
  } catch (error) {
    screen.append(unavailable(error, 'web.sources.unavailable'));
    return screen;
  }
  if (!page.items.length) {
    screen.append(h('p', {}, t('web.sources.none')));
    return screen;
  }
  const status = h('p', { role: 'status', class: 'form-status' });
  screen.append(
    status,
    h('ul', { class: 'sources' }, ...page.items.map((s) => sourceEntry(session, s, status))),
  );
  return screen;
}

function sourceEntry(session: Session, s: Source, status: HTMLElement): HTMLElement {
  const health = sourceHealth(s);
  const headingId = `source-${s.id}`;
  const items = h('div', { class: 'log', id: `items-${s.id}`, hidden: true });
  const toggle = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': `items-${s.id}` },
    t('web.sources.showItems'),
  );
  toggle.addEventListener('click', () => {
    const opening = items.hidden;
    items.hidden = !opening;
    toggle.setAttribute('aria-expanded', String(opening));
    toggle.textContent = opening ? t('web.sources.hideItems') : t('web.sources.showItems');
    if (opening && !items.childElementCount) items.append(itemsTable(session, s));
  });

  const facts: [string, Node | string][] = [
    [t('web.sources.field.kind'), kindText(s.kind)],
    ...(s.url ? [[t('web.sources.field.url'), h('code', {}, s.url)] as [string, Node]] : []),
    [t('web.sources.field.scheme'), schemeName(s.scheme)],
    ...(s.kind === 'cap-feed' && s.pollSeconds
      ? [
          [t('web.sources.field.poll'), t('web.sources.pollEvery', { seconds: s.pollSeconds })] as [
            string,
            string,
          ],
        ]
      : []),
    [t('web.sources.field.lastFetched'), time(s.lastFetchedAt, t('web.sources.never'))],
    [t('web.sources.field.lastStatus'), statusText(s.lastStatus)],
    [t('web.sources.field.lastError'), s.lastError ? h('span', { class: 'source-error' }, s.lastError) : '—'],
  ];
  return h(
    'li',
    { class: 'source', 'data-source': s.id },
    h(
      'h3',
      { id: headingId, tabindex: -1 },
      s.name,
      ' ',
      h('span', { class: healthClass(health), 'data-health': health }, healthText(health)),
    ),
    h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('p', { class: 'counts' }, countsText(s.counts)),
    h('div', { class: 'button-row' }, toggle, ...actions(session, s, status)),
    items,
  );
}

/** "Poll now" for a feed, and "Disable" or "Enable": each answers with the source as it now stands. */
function actions(session: Session, s: Source, status: HTMLElement): HTMLElement[] {
  const act = (label: string, aria: string, run: () => Promise<unknown>, done: string) => {
    const button = h('button', { type: 'button', class: 'secondary', 'aria-label': aria }, label);
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await run();
        status.textContent = done;
        // The entry as the server now has it (a poll is queued: its result shows on the next look).
        const fresh = await api<Source>(`/v1/sources/${encodeURIComponent(s.id)}`, { key: session.key });
        const entry = sourceEntry(session, fresh, status);
        button.closest('li.source')?.replaceWith(entry);
        entry.querySelector('h3')?.focus();
      } catch (error) {
        button.disabled = false;
        status.textContent = error instanceof ApiError ? error.message : String(error);
      }
    });
    return button;
  };
  const path = `/v1/sources/${encodeURIComponent(s.id)}`;
  const buttons: HTMLElement[] = [];
  if (s.kind === 'cap-feed' && s.enabled) {
    buttons.push(
      act(
        t('web.sources.pollNow'),
        t('web.sources.pollNowLabel', { name: s.name }),
        () => api(`${path}/poll`, { method: 'POST', key: session.key }),
        t('web.sources.pollQueued', { name: s.name }),
      ),
    );
  }
  buttons.push(
    act(
      s.enabled ? t('web.sources.disable') : t('web.sources.enable'),
      t(s.enabled ? 'web.sources.disableLabel' : 'web.sources.enableLabel', { name: s.name }),
      () => api(path, { method: 'PATCH', body: { enabled: !s.enabled }, key: session.key }),
      t(s.enabled ? 'web.sources.disabled' : 'web.sources.enabled', { name: s.name }),
    ),
  );
  return buttons;
}

/** The documents a source brought, newest first, growing with "Show more". */
function itemsTable(session: Session, s: Source): HTMLElement {
  const holder = h('div', { class: 'source-items' }, h('p', {}, t('web.loading')));
  const caption = t('web.sources.itemsCaption', { name: s.name });
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary' }, t('web.deliveries.more'));
  let cursor: string | null = null;

  const row = (item: SourceItem): HTMLTableRowElement =>
    h(
      'tr',
      { 'data-item': item.id, 'data-outcome': item.outcome },
      h('td', {}, time(item.receivedAt)),
      h(
        'td',
        {},
        item.identifier ? h('code', {}, item.identifier) : '—',
        item.sender ? h('span', { class: 'meta' }, ' · ', item.sender) : null,
      ),
      h('td', {}, item.sent ? time(item.sent) : '—'),
      h('td', {}, h('span', { class: outcomeClass(item.outcome) }, outcomeText(item.outcome))),
      h('td', {}, item.reason || '—'),
      h(
        'td',
        {},
        ...(item.declarationIds.length
          ? item.declarationIds.flatMap((id, i) => [
              i ? ', ' : '',
              h('a', { href: `/v1/declarations/${encodeURIComponent(id)}` }, h('code', {}, id)),
            ])
          : ['—']),
      ),
    );

  const load = async () => {
    const page = await api<Page<SourceItem>>(
      `/v1/sources/${encodeURIComponent(s.id)}/items?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { key: session.key },
    );
    body.append(...page.items.map(row));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    return page;
  };
  more.addEventListener(
    'click',
    () =>
      void load().catch((error: unknown) =>
        holder.append(h('p', { class: 'error' }, error instanceof ApiError ? error.message : String(error))),
      ),
  );
  load().then(
    (page) => {
      if (!page.items.length) {
        holder.replaceChildren(h('p', {}, t('web.sources.noItems')));
        return;
      }
      holder.replaceChildren(
        h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption },
          h(
            'table',
            {},
            h('caption', {}, caption),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...[
                  t('web.sources.column.seen'),
                  t('web.sources.column.document'),
                  t('web.sources.column.sent'),
                  t('web.sources.column.outcome'),
                  t('web.sources.column.reason'),
                  t('web.sources.column.declarations'),
                ].map((text) => h('th', { scope: 'col' }, text)),
              ),
            ),
            body,
          ),
        ),
        more,
      );
    },
    (error: unknown) => holder.replaceChildren(unavailable(error, 'web.sources.itemsUnavailable')),
  );
  return holder;
}

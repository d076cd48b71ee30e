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
  seenAt,
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
  // A list may leave the counts out; the source itself always has them.
  const sources = await Promise.all(
    page.items.map((s) =>
      s.counts ? s : api<Source>(`/v1/sources/${encodeURIComponent(s.id)}`, { key: session.key }),
    ),
  );
  screen.append(h('ul', { class: 'sources' }, ...sources.map((s) => sourceEntry(session, s))));
  return screen;
}

function sourceEntry(session: Session, s: Source): HTMLElement {
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
    { class: 'source', 'data-source': s.id, 'aria-labelledby': headingId },
    h(
      'h3',
      { id: headingId },
      s.name,
      ' ',
      h('span', { class: healthClass(health), 'data-health': health }, healthText(health)),
    ),
    h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    s.counts ? h('p', { class: 'counts' }, countsText(s.counts)) : null,
    toggle,
    items,
  );
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
      h('td', {}, time(seenAt(item), '—')),
      h(
        'td',
        {},
        item.identifier ? h('code', {}, item.identifier) : '—',
        item.sender ? h('span', { class: 'meta' }, ' · ', item.sender) : null,
      ),
      h('td', {}, time(item.sent ?? null, '—')),
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

// Delivery logs: one webhook's, and every failed delivery with a retry button. The routes may be missing on an
// older server; a 404 then says so instead of breaking the screen.

import { api, ApiError, Delivery, Page } from '../api';
import { h, time } from '../dom';
import { formatNumber, t } from '../i18n';
import type { Session } from './session';

/** `what`: the catalog key of a message saying what is missing, with the server's answer as `{reason}`. */
export function unavailable(error: unknown, what: string): HTMLElement {
  if (error instanceof ApiError && error.status === 404) {
    return h('p', { class: 'notice' }, t(what, { reason: error.message }));
  }
  return h('p', { class: 'error' }, error instanceof ApiError ? error.message : String(error));
}

/** A table of deliveries that grows with "Show more" and retries failed ones in place. */
export function deliveriesTable(session: Session, path: string, caption: string, empty: string): HTMLElement {
  const holder = h('div', { class: 'deliveries' }, h('p', {}, t('web.loading')));
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary' }, t('web.deliveries.more'));
  const message = h('p', { role: 'status', class: 'form-status' });
  let cursor: string | null = null;

  const row = (delivery: Delivery): HTMLTableRowElement => {
    const retry =
      delivery.status === 'failed'
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              'aria-label': t('web.deliveries.retryLabel', { id: delivery.id }),
            },
            t('web.deliveries.retry'),
          )
        : null;
    const tr = h(
      'tr',
      { 'data-delivery': delivery.id },
      h('td', {}, h('code', {}, delivery.id)),
      h('td', {}, CHANNELS[delivery.channel] ? t(CHANNELS[delivery.channel]) : delivery.channel),
      h('td', {}, h('code', {}, delivery.eventId)),
      h(
        'td',
        {},
        h(
          'span',
          { class: `status status-${delivery.status}` },
          STATUSES[delivery.status] ? t(STATUSES[delivery.status]) : delivery.status,
        ),
      ),
      h('td', {}, formatNumber(delivery.attempts)),
      h('td', {}, [delivery.lastStatusCode, delivery.lastError].filter((v) => v !== null).join(' · ') || '—'),
      h('td', {}, time(delivery.createdAt)),
      h('td', {}, time(delivery.deliveredAt, '—')),
      h('td', {}, retry),
    );
    retry?.addEventListener('click', async () => {
      retry.disabled = true;
      try {
        const updated = await api<Delivery>(`/v1/deliveries/${delivery.id}/retry`, {
          method: 'POST',
          key: session.key,
        });
        tr.replaceWith(row(updated));
        message.textContent = t('web.deliveries.retried', { id: delivery.id });
      } catch (error) {
        retry.disabled = false;
        message.textContent = error instanceof ApiError ? error.message : String(error);
      }
    });
    return tr;
  };

  const load = async () => {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api<Page<Delivery>>(
      `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`,
      { key: session.key },
    );
    body.append(...page.items.map(row));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    return page;
  };

  more.addEventListener(
    'click',
    () => void load().catch((error) => holder.append(unavailable(error, 'web.deliveries.unavailable'))),
  );
  load().then(
    (page) => {
      if (!page.items.length) {
        holder.replaceChildren(h('p', {}, empty));
        return;
      }
      holder.replaceChildren(
        message,
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
                  t('web.deliveries.column.delivery'),
                  t('web.deliveries.column.channel'),
                  t('web.deliveries.column.event'),
                  t('web.deliveries.column.status'),
                  t('web.deliveries.column.attempts'),
                  t('web.deliveries.column.lastAnswer'),
                  t('web.deliveries.column.created'),
                  t('web.deliveries.column.delivered'),
                ].map((text) => h('th', { scope: 'col' }, text)),
                h(
                  'th',
                  { scope: 'col' },
                  h('span', { class: 'sr-only' }, t('web.deliveries.column.actions')),
                ),
              ),
            ),
            body,
          ),
        ),
        more,
      );
    },
    (error) => holder.replaceChildren(unavailable(error, 'web.deliveries.logsUnavailable')),
  );
  return holder;
}

const CHANNELS: Readonly<Record<Delivery['channel'], string>> = {
  webhook: 'web.deliveries.channel.webhook',
  email: 'web.deliveries.channel.email',
  sms: 'web.deliveries.channel.sms',
};

const STATUSES: Readonly<Record<Delivery['status'], string>> = {
  pending: 'web.deliveries.status.pending',
  sent: 'web.deliveries.status.sent',
  delivered: 'web.deliveries.status.delivered',
  failed: 'web.deliveries.status.failed',
  skipped: 'web.deliveries.status.skipped',
};

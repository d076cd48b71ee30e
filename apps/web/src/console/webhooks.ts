// Webhook endpoints (an integrator sees its own) with their delivery logs, and failed deliveries to retry.

import { api, listSchemes, Page, Webhook } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import { schemeName } from '../localised';
import { deliveriesTable, unavailable } from './deliveries';
import type { Session } from './session';

export async function webhooksScreen(session: Session): Promise<HTMLElement> {
  await listSchemes();
  const screen = h('div', {}, h('h2', {}, t('web.console.tab.webhooks')));
  let page: Page<Webhook>;
  try {
    page = await api<Page<Webhook>>('/v1/webhooks?limit=100', { key: session.key });
  } catch (error) {
    screen.append(unavailable(error, 'web.webhooks.unavailable'));
    return screen;
  }
  if (!page.items.length) {
    screen.append(h('p', {}, t('web.webhooks.none')));
    return screen;
  }
  screen.append(
    h(
      'ul',
      { class: 'webhooks' },
      ...page.items.map((w) => {
        const log = h('div', { class: 'log', id: `log-${w.id}`, hidden: true });
        const toggle = h(
          'button',
          { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': `log-${w.id}` },
          t('web.webhooks.showLog'),
        );
        toggle.addEventListener('click', () => {
          const opening = log.hidden;
          log.hidden = !opening;
          toggle.setAttribute('aria-expanded', String(opening));
          toggle.textContent = opening ? t('web.webhooks.hideLog') : t('web.webhooks.showLog');
          if (opening && !log.childElementCount) {
            log.append(
              deliveriesTable(
                session,
                `/v1/webhooks/${w.id}/deliveries?limit=50`,
                t('web.webhooks.logCaption', { url: w.url }),
                t('web.webhooks.logEmpty'),
              ),
            );
          }
        });
        return h(
          'li',
          { class: 'webhook', 'data-webhook': w.id },
          h(
            'p',
            { class: 'webhook-url' },
            h('code', {}, w.url),
            ' ',
            h(
              'span',
              { class: `status status-${w.enabled ? 'delivered' : 'failed'}` },
              w.enabled ? t('web.webhooks.enabled') : t('web.webhooks.disabled'),
            ),
          ),
          w.description ? h('p', {}, w.description) : null,
          h(
            'p',
            { class: 'meta' },
            t('web.webhooks.areas', { areas: w.areas.join(', ') }),
            ' · ',
            w.scheme
              ? t('web.webhooks.scheme', { scheme: schemeName(w.scheme) })
              : t('web.webhooks.everyScheme'),
            w.minRank ? ` · ${t('web.webhooks.minRank', { rank: w.minRank })}` : '',
            w.exercises ? ` · ${t('web.webhooks.exercises')}` : '',
            w.disabledReason ? ` · ${t('web.webhooks.disabledBecause', { reason: w.disabledReason })}` : '',
          ),
          toggle,
          log,
        );
      }),
    ),
  );
  return screen;
}

export function failedDeliveriesScreen(session: Session): HTMLElement {
  return h(
    'div',
    {},
    h('h2', {}, t('web.console.tab.deliveries')),
    h('p', { class: 'lead' }, t('web.deliveries.failedLead')),
    deliveriesTable(
      session,
      '/v1/deliveries?status=failed&limit=50',
      t('web.deliveries.failedCaption'),
      t('web.deliveries.noneFailed'),
    ),
  );
}

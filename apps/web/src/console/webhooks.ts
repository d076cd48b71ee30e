// Webhook endpoints (an integrator sees its own) with their delivery logs, and failed deliveries to retry.

import { api, Page, Webhook } from '../api';
import { h } from '../dom';
import { deliveriesTable, unavailable } from './deliveries';
import type { Session } from './session';

export async function webhooksScreen(session: Session): Promise<HTMLElement> {
  const screen = h('div', {}, h('h2', {}, 'Webhooks'));
  let page: Page<Webhook>;
  try {
    page = await api<Page<Webhook>>('/v1/webhooks?limit=100', { key: session.key });
  } catch (error) {
    screen.append(unavailable(error, 'Webhooks'));
    return screen;
  }
  if (!page.items.length) {
    screen.append(h('p', {}, 'No webhook endpoints yet. Integrators create them with POST /v1/webhooks.'));
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
          'Show delivery log',
        );
        toggle.addEventListener('click', () => {
          const opening = log.hidden;
          log.hidden = !opening;
          toggle.setAttribute('aria-expanded', String(opening));
          toggle.textContent = opening ? 'Hide delivery log' : 'Show delivery log';
          if (opening && !log.childElementCount) {
            log.append(
              deliveriesTable(
                session,
                `/v1/webhooks/${w.id}/deliveries?limit=50`,
                `Deliveries to ${w.url}, newest first`,
                'Nothing has been sent to this endpoint yet.',
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
              w.enabled ? 'enabled' : 'disabled',
            ),
          ),
          w.description ? h('p', {}, w.description) : null,
          h(
            'p',
            { class: 'meta' },
            `Areas ${w.areas.join(', ')}`,
            w.scheme ? ` · scheme ${w.scheme}` : ' · every scheme',
            w.minRank ? ` · rank ${w.minRank} or higher` : '',
            w.disabledReason ? ` · disabled: ${w.disabledReason}` : '',
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
    h('h2', {}, 'Failed deliveries'),
    h(
      'p',
      { class: 'lead' },
      'Deliveries that used up their retries. Retry sends one more attempt now, with the same webhook-id.',
    ),
    deliveriesTable(
      session,
      '/v1/deliveries?status=failed&limit=50',
      'Failed deliveries, newest first',
      'No failed deliveries.',
    ),
  );
}

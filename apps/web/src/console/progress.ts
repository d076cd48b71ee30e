// The live progress of a declaration's fan-out (GET /v1/declarations/{id}/deliveries/summary, DESIGN §5.6):
// polled every second until every event due so far has fanned out and nothing is pending, then "done". For a
// scheduled declaration, the polling begins at its start.

import { ApiError, deliverySummary, DeliverySummary } from '../api';
import { formatInstant, h } from '../dom';
import { t } from '../i18n';
import type { Session } from './session';

const POLL_MS = 1000;
// A start far off is awaited in steps: timers drift in a tab left open, and one longer than 24 days overflows.
const LONGEST_WAIT_MS = 60_000;

/** Every delivery there will be exists, and none is waiting for its first or next attempt. */
export const isDone = (s: DeliverySummary): boolean => s.fannedOut && s.pending === 0;

/** A time left for people: seconds up to a minute and a half, minutes after that. */
function timeLeft(seconds: number): string {
  return seconds < 90
    ? t('web.progress.seconds', { count: seconds })
    : t('web.progress.minutes', { count: Math.ceil(seconds / 60) });
}

/**
 * A progress bar of the deliveries of `declarationId`, which keeps itself up to date while it is on the page
 * (it stops once removed from it). `startsAt`: a scheduled declaration's start, until which it only waits.
 */
export function deliveryProgress(session: Session, declarationId: string, startsAt?: string): HTMLElement {
  const headingId = `progress-heading-${declarationId}`;
  const countsId = `progress-counts-${declarationId}`;
  const bar = h('progress', { 'aria-labelledby': headingId, 'aria-describedby': countsId });
  // As wide as the text beside it (a bare <progress> is a few centimetres); set through the CSSOM, which the
  // pages' content security policy allows where a style attribute is not.
  bar.style.width = 'min(100%, 32rem)';
  const counts = h('p', { class: 'progress-counts', id: countsId });
  const rate = h('p', { class: 'progress-rate' });
  // Only the state is announced (it changes a few times); the counts change every second.
  const state = h('p', { class: 'progress-state', role: 'status' });
  const section = h(
    'section',
    { class: 'delivery-progress', 'data-declaration': declarationId, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, t('web.progress.heading')),
    bar,
    counts,
    rate,
    state,
  );
  const say = (text: string) => {
    if (state.textContent !== text) state.textContent = text;
  };

  const show = (s: DeliverySummary) => {
    const done = isDone(s);
    const settled = s.total - s.pending;
    section.dataset.done = String(done);
    if (s.total === 0 && !done) {
      // Indeterminate until the first deliveries exist.
      bar.removeAttribute('value');
      bar.removeAttribute('aria-valuetext');
    } else {
      bar.max = Math.max(s.total, 1);
      bar.value = s.total === 0 ? 1 : settled;
      bar.setAttribute(
        'aria-valuetext',
        t('web.progress.valueText', { settled, total: s.total, fraction: s.total ? settled / s.total : 1 }),
      );
    }
    counts.textContent = [
      t('web.progress.delivered', { count: s.delivered }),
      t('web.progress.failed', { count: s.failed }),
      t('web.progress.pending', { count: s.pending }),
      s.sent ? t('web.progress.sent', { count: s.sent }) : null,
      s.skipped ? t('web.progress.skipped', { count: s.skipped }) : null,
      // Held for subscribers' digests: they go out later, and the bar does not wait for them.
      s.held ? t('web.progress.held', { count: s.held }) : null,
    ]
      .filter((part) => part !== null)
      .join(' · ');
    rate.textContent = done
      ? ''
      : s.etaSeconds === null
        ? t('web.progress.rate', { rate: s.ratePerSecond })
        : t('web.progress.rateAndLeft', { rate: s.ratePerSecond, left: timeLeft(s.etaSeconds) });
    say(
      done
        ? s.total
          ? t('web.progress.done', { delivered: s.delivered, failed: s.failed })
          : t('web.progress.doneNobody')
        : s.events === 0
          ? t('web.progress.starting')
          : t('web.progress.sending'),
    );
  };

  let attached = false;
  const tick = async () => {
    if (section.isConnected) attached = true;
    else if (attached) return;
    const wait = startsAt ? Date.parse(startsAt) - Date.now() : 0;
    if (wait > 0) {
      section.dataset.done = 'false';
      say(t('web.progress.waiting', { time: formatInstant(startsAt!) }));
      setTimeout(tick, Math.min(wait, LONGEST_WAIT_MS));
      return;
    }
    try {
      const summary = await deliverySummary(declarationId, session.key);
      show(summary);
      if (isDone(summary)) return;
    } catch (error) {
      const message = error instanceof ApiError ? error.message : String(error);
      say(t('web.progress.unreadable', { message }));
      // Not allowed to see it, or it is gone: asking again will not change that.
      if (error instanceof ApiError && [401, 403, 404].includes(error.status)) return;
    }
    setTimeout(tick, POLL_MS);
  };
  setTimeout(tick, 0);
  return section;
}

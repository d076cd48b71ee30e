// `/subscribe`: sign up for email alerts. Double opt-in: the API mails a confirmation link, and nothing else is
// sent until it is followed. The answer is the same whether or not the address is already subscribed.

import { api, ApiError, listSchemes, Scheme } from '../api';
import { areaPicker } from '../area-picker';
import { h, showPage } from '../dom';
import { language, LANGUAGES, t } from '../i18n';
import { levelText } from '../level-chip';
import { schemeName } from '../localised';

export async function subscribePage(): Promise<void> {
  const schemes = await listSchemes();
  const status = h('div', { class: 'form-status', role: 'status', tabindex: -1 });
  const email = h('input', {
    id: 'email',
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    required: true,
    'aria-describedby': 'email-error',
  });
  const emailError = h('p', { id: 'email-error', class: 'field-error', hidden: true });
  const areas = areaPicker(t('web.subscribe.areas'), t('web.subscribe.areasHint'));
  const scheme = h(
    'select',
    { id: 'scheme', name: 'scheme' },
    h('option', { value: '' }, t('web.subscribe.anyScheme')),
    ...schemes.map((s) => h('option', { value: s.id }, schemeName(s))),
  );
  const threshold = h('select', { id: 'threshold', name: 'threshold', 'aria-describedby': 'threshold-hint' });
  // With a digest: what is still sent at once, in the chosen scheme's levels as the threshold is.
  const atOnce = h('select', { id: 'immediate-min-rank', name: 'immediateMinRank' });
  const fillThreshold = () => {
    const chosen = schemes.find((s) => s.id === scheme.value);
    threshold.replaceChildren(
      h('option', { value: '' }, t('web.subscribe.anyLevel')),
      ...thresholdOptions(chosen),
    );
    atOnce.replaceChildren(
      h('option', { value: '' }, t('web.subscribe.nothingAtOnce')),
      ...thresholdOptions(chosen),
    );
  };
  scheme.addEventListener('change', fillThreshold);
  fillThreshold();
  const rises = h('input', { type: 'checkbox', id: 'rises', value: 'escalated', checked: true });
  const falls = h('input', { type: 'checkbox', id: 'falls', value: 'deescalated', checked: true });
  // The emails' language: the pages' by default; each language named in itself, as on the switch.
  const emailLanguage = h(
    'select',
    { id: 'email-language', name: 'language' },
    ...LANGUAGES.map((lang) =>
      h(
        'option',
        { value: lang, lang, selected: lang === language() },
        t('web.language.self', undefined, lang),
      ),
    ),
  );
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = h(
    'select',
    { id: 'time-zone', name: 'timeZone', 'aria-describedby': 'time-zone-hint' },
    h('option', { value: '' }, t('web.subscribe.zoneOfArea')),
    zone ? h('option', { value: zone }, t('web.subscribe.zoneMine', { zone })) : null,
  );
  const digest = digestFields(atOnce);
  const submit = h('button', { type: 'submit' }, t('web.subscribe.submit'));

  const fieldError = (element: HTMLElement, input: HTMLElement, message: string | null) => {
    element.hidden = !message;
    element.textContent = message ?? '';
    input.toggleAttribute('aria-invalid', !!message);
  };

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'email' }, t('web.subscribe.email')), email, emailError),
    areas.element,
    h('div', { class: 'field' }, h('label', { for: 'scheme' }, t('web.subscribe.scheme')), scheme),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'threshold' }, t('web.subscribe.threshold')),
      h('p', { class: 'hint', id: 'threshold-hint' }, t('web.subscribe.thresholdHint')),
      threshold,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, t('web.subscribe.which')),
      h('div', { class: 'check' }, rises, h('label', { for: 'rises' }, t('web.subscribe.rises'))),
      h('div', { class: 'check' }, falls, h('label', { for: 'falls' }, t('web.subscribe.falls'))),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'email-language' }, t('web.subscribe.language')),
      emailLanguage,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'time-zone' }, t('web.subscribe.timeZone')),
      h('p', { class: 'hint', id: 'time-zone-hint' }, t('web.subscribe.timeZoneHint')),
      timeZone,
    ),
    digest.element,
    submit,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fieldError(
      emailError,
      email,
      email.validity.valid && email.value ? null : t('web.subscribe.emailMissing'),
    );
    // Text typed but not yet added counts: people expect it to.
    const pending = areas.element.querySelector('input')!.value;
    if (pending.trim()) await areas.add(pending);
    areas.setError(areas.codes().length ? null : t('web.subscribe.areasMissing'));
    if (!email.validity.valid || !email.value || !areas.codes().length) {
      (form.querySelector('[aria-invalid]') as HTMLElement | null)?.focus();
      return;
    }
    const events = [rises, falls].filter((box) => box.checked).map((box) => box.value);
    submit.disabled = true;
    status.textContent = t('web.subscribe.sending');
    try {
      await api<{ message: string }>('/v1/email-subscriptions', {
        method: 'POST',
        body: {
          email: email.value,
          areas: areas.codes(),
          scheme: scheme.value || null,
          minRank: threshold.value ? Number(threshold.value) : null,
          events: events.length === 2 || events.length === 0 ? null : events,
          language: emailLanguage.value,
          timeZone: timeZone.value || null,
          ...digest.settings(),
        },
      });
      form.hidden = true;
      status.replaceChildren(
        h('h2', {}, t('web.subscribe.sentHeading')),
        // The API's own `message` is in English; the page says it in the reader's language.
        h('p', {}, t('web.subscribe.sent')),
        h('p', {}, t('web.subscribe.sentLinks')),
      );
      status.focus();
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, String(error));
      const emailProblem = problem.errors.find((e) => e.field === 'email');
      if (emailProblem)
        fieldError(emailError, email, t('web.subscribe.emailInvalid', { problem: emailProblem.message }));
      status.replaceChildren(h('p', { class: 'error' }, problem.message));
      status.focus();
    } finally {
      submit.disabled = false;
    }
  });

  const preset = new URLSearchParams(location.search).get('area');
  if (preset) await areas.add(preset);

  showPage(
    t('web.subscribe.title'),
    h('h1', {}, t('web.subscribe.heading')),
    h('p', { class: 'lead' }, t('web.subscribe.lead')),
    status,
    form,
  );
}

function thresholdOptions(scheme: Scheme | undefined): HTMLOptionElement[] {
  if (scheme) {
    return scheme.levels
      .slice(1)
      .map((level) =>
        h(
          'option',
          { value: level.rank },
          t('web.subscribe.levelOrHigher', { level: levelText(level, scheme.id) }),
        ),
      );
  }
  return [2, 3, 4].map((rank) => h('option', { value: rank }, t('web.subscribe.rankOrHigher', { rank })));
}

/**
 * How alerts reach the subscriber (DESIGN.md §5.6): each at once, or a daily or weekly digest with what is
 * still sent at once, its hour and, for a weekly one, its day. The digest's fields show only with a digest.
 */
function digestFields(atOnce: HTMLSelectElement) {
  const delivery = h(
    'select',
    { id: 'delivery', name: 'delivery', 'aria-describedby': 'delivery-hint' },
    h('option', { value: 'immediate' }, t('web.subscribe.deliveryImmediate')),
    h('option', { value: 'daily' }, t('web.subscribe.deliveryDaily')),
    h('option', { value: 'weekly' }, t('web.subscribe.deliveryWeekly')),
  );
  const hour = h(
    'select',
    { id: 'digest-hour', name: 'digestHour' },
    ...Array.from({ length: 24 }, (_, n) =>
      h('option', { value: n, selected: n === 8 }, `${String(n).padStart(2, '0')}:00`),
    ),
  );
  // ISO weekdays, 1 = Monday, named in the page's language: 1 January 2024 was a Monday.
  const dayName = new Intl.DateTimeFormat(language(), { weekday: 'long', timeZone: 'UTC' });
  const weekday = h(
    'select',
    { id: 'digest-weekday', name: 'digestWeekday' },
    ...Array.from({ length: 7 }, (_, n) =>
      h('option', { value: n + 1 }, dayName.format(Date.UTC(2024, 0, 1 + n))),
    ),
  );
  const field = (id: string, label: string, control: HTMLElement) =>
    h('div', { class: 'field' }, h('label', { for: id }, label), control);
  const weekdayField = field('digest-weekday', t('web.subscribe.digestWeekday'), weekday);
  const digestOnly = h(
    'div',
    { class: 'stack' },
    field('immediate-min-rank', t('web.subscribe.immediateMinRank'), atOnce),
    field('digest-hour', t('web.subscribe.digestHour'), hour),
    weekdayField,
  );
  const show = () => {
    digestOnly.hidden = delivery.value === 'immediate';
    weekdayField.hidden = delivery.value !== 'weekly';
  };
  delivery.addEventListener('change', show);
  show();
  return {
    element: h(
      'div',
      { class: 'field' },
      h('label', { for: 'delivery' }, t('web.subscribe.delivery')),
      h('p', { class: 'hint', id: 'delivery-hint' }, t('web.subscribe.deliveryHint')),
      delivery,
      digestOnly,
    ),
    /** What the sign-up sends: nothing of a digest for immediate delivery (the API's defaults). */
    settings: () =>
      delivery.value === 'immediate'
        ? {}
        : {
            delivery: delivery.value,
            immediateMinRank: atOnce.value ? Number(atOnce.value) : null,
            digestHour: Number(hour.value),
            digestWeekday: Number(weekday.value),
          },
  };
}

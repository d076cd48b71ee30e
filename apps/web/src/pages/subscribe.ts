// `/subscribe`: sign up for email alerts. Double opt-in: the API mails a confirmation link, and nothing else is
// sent until it is followed. The answer is the same whether or not the address is already subscribed.

import { api, ApiError, listSchemes, Scheme } from '../api';
import { areaPicker } from '../area-picker';
import { h, showPage } from '../dom';

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
  const areas = areaPicker(
    'Areas',
    'Type a country and press Add; a region works too, by its ISO 3166 code such as KZ-75 (Almaty). ' +
      'A country covers all its regions. * is everywhere.',
  );
  const scheme = h(
    'select',
    { id: 'scheme', name: 'scheme' },
    h('option', { value: '' }, 'Any scheme'),
    ...schemes.map((s) => h('option', { value: s.id }, s.name)),
  );
  const threshold = h('select', { id: 'threshold', name: 'threshold', 'aria-describedby': 'threshold-hint' });
  const fillThreshold = () => {
    const chosen = schemes.find((s) => s.id === scheme.value);
    threshold.replaceChildren(h('option', { value: '' }, 'Any level'), ...thresholdOptions(chosen));
  };
  scheme.addEventListener('change', fillThreshold);
  fillThreshold();
  const rises = h('input', { type: 'checkbox', id: 'rises', value: 'escalated', checked: true });
  const falls = h('input', { type: 'checkbox', id: 'falls', value: 'deescalated', checked: true });
  const submit = h('button', { type: 'submit' }, 'Send me a confirmation email');

  const fieldError = (element: HTMLElement, input: HTMLElement, message: string | null) => {
    element.hidden = !message;
    element.textContent = message ?? '';
    input.toggleAttribute('aria-invalid', !!message);
  };

  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'email' }, 'Email address'), email, emailError),
    areas.element,
    h('div', { class: 'field' }, h('label', { for: 'scheme' }, 'Scheme'), scheme),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'threshold' }, 'Only when the level is at least'),
      h(
        'p',
        { class: 'hint', id: 'threshold-hint' },
        'A fall from a level at or above this one is sent too.',
      ),
      threshold,
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Which changes'),
      h('div', { class: 'check' }, rises, h('label', { for: 'rises' }, 'When a level rises')),
      h('div', { class: 'check' }, falls, h('label', { for: 'falls' }, 'When a level falls or ends')),
    ),
    submit,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fieldError(
      emailError,
      email,
      email.validity.valid && email.value ? null : 'Enter an email address, like name@example.org.',
    );
    // Text typed but not yet added counts: people expect it to.
    const pending = areas.element.querySelector('input')!.value;
    if (pending.trim()) await areas.add(pending);
    areas.setError(areas.codes().length ? null : 'Add at least one area.');
    if (!email.validity.valid || !email.value || !areas.codes().length) {
      (form.querySelector('[aria-invalid]') as HTMLElement | null)?.focus();
      return;
    }
    const events = [rises, falls].filter((box) => box.checked).map((box) => box.value);
    submit.disabled = true;
    status.textContent = 'Sending…';
    try {
      const answer = await api<{ message: string }>('/v1/email-subscriptions', {
        method: 'POST',
        body: {
          email: email.value,
          areas: areas.codes(),
          scheme: scheme.value || null,
          minRank: threshold.value ? Number(threshold.value) : null,
          events: events.length === 2 || events.length === 0 ? null : events,
        },
      });
      form.hidden = true;
      status.replaceChildren(
        h('h2', {}, 'Check your inbox'),
        h(
          'p',
          {},
          answer.message,
          ' Follow the link in it to start receiving alerts; nothing is sent before.',
        ),
        h('p', {}, 'Every alert has a link to change these choices or to unsubscribe.'),
      );
      status.focus();
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, String(error));
      const emailProblem = problem.errors.find((e) => e.field === 'email');
      if (emailProblem) fieldError(emailError, email, `The address ${emailProblem.message}.`);
      status.replaceChildren(h('p', { class: 'error' }, problem.message));
      status.focus();
    } finally {
      submit.disabled = false;
    }
  });

  const preset = new URLSearchParams(location.search).get('area');
  if (preset) await areas.add(preset);

  showPage(
    'Get alerts',
    h('h1', {}, 'Get threat-level alerts by email'),
    h(
      'p',
      { class: 'lead' },
      'Choose the areas you care about. We send a confirmation email first; alerts start only once you confirm.',
    ),
    status,
    form,
  );
}

function thresholdOptions(scheme: Scheme | undefined): HTMLOptionElement[] {
  if (scheme) {
    return scheme.levels
      .slice(1)
      .map((level) => h('option', { value: level.rank }, `${level.name} (${level.code}) or higher`));
  }
  return [2, 3, 4].map((rank) =>
    h('option', { value: rank }, `Rank ${rank} or higher (1 = lowest in each scheme)`),
  );
}

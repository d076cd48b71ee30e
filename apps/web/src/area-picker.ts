// Choosing areas: type a country's name (suggested from the list) or any ISO 3166 code such as KZ-75, then Add.
// Each chosen area is a button that removes it, so the whole control works from the keyboard.

import { api, ApiError, Area, inLanguage, listCountries } from './api';
import { h } from './dom';
import { t } from './i18n';
import { areaName } from './localised';

export interface AreaPicker {
  element: HTMLElement;
  /** The chosen codes, in the order added. */
  codes(): string[];
  add(code: string): Promise<void>;
  setError(message: string | null): void;
}

let pickers = 0;

export function areaPicker(label: string, hint: string): AreaPicker {
  const id = `areas-${++pickers}`;
  const chosen = new Map<string, string>();
  const input = h('input', {
    id,
    type: 'text',
    list: `${id}-options`,
    autocomplete: 'off',
    'aria-describedby': `${id}-hint ${id}-error`,
  });
  const options = h('datalist', { id: `${id}-options` });
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  const chips = h('ul', { class: 'chosen-areas', 'aria-label': t('web.areaPicker.chosen') });
  const addButton = h('button', { type: 'button', class: 'secondary' }, t('web.areaPicker.add'));
  const named = (area: Area) => t('web.area.withCode', { name: areaName(area), code: area.code });

  void listCountries().then((countries) =>
    options.append(...countries.map((c) => h('option', { value: named(c) }))),
  );

  const setError = (message: string | null) => {
    error.hidden = !message;
    error.textContent = message ?? '';
    input.toggleAttribute('aria-invalid', !!message);
  };

  const render = () => {
    chips.replaceChildren(
      ...[...chosen].map(([code, name]) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'area-chip',
              'data-area': code,
              'aria-label': t('web.areaPicker.remove', { name }),
              onclick: () => {
                chosen.delete(code);
                render();
                input.focus();
              },
            },
            name,
            h('span', { 'aria-hidden': 'true' }, ' ×'),
          ),
        ),
      ),
    );
  };

  /** Accepts "Kazakhstan (KZ)", "kz", "KZ-75", "*", or a country's exact name (in any of its languages). */
  const resolve = async (text: string): Promise<{ code: string; name: string } | null> => {
    const value = text.trim();
    if (!value) return null;
    if (value === '*') return { code: '*', name: t('web.areaPicker.everywhere') };
    const inParens = /\(([A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?)\)\s*$/.exec(value)?.[1];
    const code = inParens ?? (/^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$/.test(value) ? value : null);
    if (code) {
      const area = await api<Area>(inLanguage(`/v1/areas/${encodeURIComponent(code)}`));
      return { code: area.code, name: named(area) };
    }
    const wanted = value.toLocaleLowerCase();
    const byName = (await listCountries()).find((c) =>
      [c.name, ...Object.values(c.names ?? {})].some((n) => n.toLocaleLowerCase() === wanted),
    );
    return byName ? { code: byName.code, name: named(byName) } : null;
  };

  const add = async (text: string) => {
    try {
      const area = await resolve(text);
      if (!area) {
        setError(t('web.areaPicker.unknown', { text: text.trim() }));
        return;
      }
      chosen.set(area.code, area.name);
      input.value = '';
      setError(null);
      render();
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404
          ? t('web.areaPicker.unknown', { text: text.trim() })
          : String((e as Error).message),
      );
    }
  };

  addButton.addEventListener('click', () => void add(input.value));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault(); // Enter adds the area rather than submitting the form
      void add(input.value);
    }
  });

  const element = h(
    'div',
    { class: 'field area-picker' },
    h('label', { for: id }, label),
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
    h('div', { class: 'inline-input' }, input, addButton),
    options,
    error,
    chips,
  );
  return { element, codes: () => [...chosen.keys()], add, setError };
}

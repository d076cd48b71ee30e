// Publishing a declaration: the form, then a review with the level changes it would announce and how many
// subscribers it would reach (POST /v1/declarations/preview), and only then the publishing itself.

import {
  api,
  ApiError,
  Area,
  Declaration,
  DeclarationBody,
  listCountries,
  listSchemes,
  Page,
  Preview,
  Scheme,
} from '../api';
import { formatInstant, h, time } from '../dom';
import { levelChip, levelText } from '../level-chip';
import type { Session } from './session';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
  else control.setAttribute('aria-describedby', `${id}-error`);
  return h(
    'div',
    { class: 'field', 'data-field': id },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
    control,
    h('p', { class: 'field-error', id: `${id}-error`, hidden: true }),
  );
}

/** `datetime-local` gives a wall-clock time in the reader's zone; the API wants an instant with its offset. */
function toInstant(local: string): string | undefined {
  return local ? new Date(local).toISOString() : undefined;
}

export async function publishScreen(session: Session): Promise<HTMLElement> {
  const [countries, schemes] = await Promise.all([listCountries(), listSchemes()]);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const country = h(
    'select',
    { id: 'country', required: true },
    h('option', { value: '' }, 'Choose a country'),
    ...countries.map((c) => h('option', { value: c.code }, `${c.name} (${c.code})`)),
  );
  const whole = h('input', { type: 'checkbox', id: 'whole-country', checked: true });
  const wholeLabel = h('label', { for: 'whole-country' }, 'The whole country');
  const regions = h('div', { class: 'region-list', hidden: true });
  const regionsFieldset = h(
    'fieldset',
    { class: 'regions', 'data-field': 'areas', hidden: true },
    h('legend', {}, 'Where'),
    h('div', { class: 'check' }, whole, wholeLabel),
    h(
      'p',
      { class: 'hint', id: 'regions-hint' },
      'Untick to choose regions; a countrywide level covers every region.',
    ),
    regions,
    h('p', { class: 'field-error', id: 'areas-error', hidden: true }),
  );
  const scheme = h(
    'select',
    { id: 'scheme', required: true },
    ...schemes.map((s) => h('option', { value: s.id }, s.name)),
  );
  const levels = h('fieldset', { class: 'level-choice', 'data-field': 'level' }, h('legend', {}, 'Level'));
  const headline = h('input', { id: 'headline', type: 'text', maxlength: 200, required: true });
  const summary = h('textarea', { id: 'summary', rows: 3, maxlength: 5000, required: true });
  const measures = h('textarea', { id: 'measures', rows: 5 });
  const authority = h('input', { id: 'authority', type: 'text', maxlength: 300, required: true });
  const sourceUrl = h('input', { id: 'sourceUrl', type: 'url', placeholder: 'https://' });
  const effectiveAt = h('input', { id: 'effectiveAt', type: 'datetime-local' });
  const expiresAt = h('input', { id: 'expiresAt', type: 'datetime-local' });
  const formStatus = h('div', { class: 'form-status', role: 'alert' });
  const areaNames = new Map(countries.map((c) => [c.code, c.name]));
  let schemeTouched = false;
  let measuresTouched = false;

  const selectedScheme = (): Scheme => schemes.find((s) => s.id === scheme.value) ?? schemes[0];
  const renderLevels = () => {
    const chosen = levels.querySelector<HTMLInputElement>('input:checked')?.value;
    levels.replaceChildren(
      h('legend', {}, 'Level'),
      ...selectedScheme().levels.map((level) =>
        h(
          'div',
          { class: 'check level-option' },
          h('input', {
            type: 'radio',
            name: 'level',
            id: `level-${level.code}`,
            value: level.code,
            checked: level.code === chosen,
            'aria-describedby': `level-${level.code}-description`,
            onchange: () => {
              if (!measuresTouched) measures.value = level.measures.join('\n');
            },
          }),
          h(
            'div',
            { class: 'level-text' },
            h('label', { for: `level-${level.code}` }, levelChip(level)),
            h('span', { class: 'meta', id: `level-${level.code}-description` }, level.description),
          ),
        ),
      ),
      h('p', { class: 'field-error', id: 'level-error', hidden: true }),
    );
  };
  scheme.addEventListener('change', () => {
    schemeTouched = true;
    renderLevels();
  });
  measures.addEventListener('input', () => (measuresTouched = true));
  renderLevels();

  // The regions are listed only when chosen one by one: a country can have a hundred.
  whole.addEventListener('change', () => {
    regions.hidden = whole.checked;
    if (!whole.checked) regions.querySelector('input')?.focus();
  });
  country.addEventListener('change', async () => {
    const code = country.value;
    regions.replaceChildren();
    regionsFieldset.hidden = !code;
    if (!code) return;
    const chosenCountry = countries.find((c) => c.code === code)!;
    wholeLabel.textContent = `All of ${chosenCountry.name}`;
    if (!schemeTouched && chosenCountry.defaultScheme) {
      scheme.value = chosenCountry.defaultScheme;
      renderLevels();
    }
    const areas = await api<Page<Area>>(`/v1/areas?country=${code}`);
    for (const a of areas.items) areaNames.set(a.code, a.name);
    regions.hidden = whole.checked;
    regions.replaceChildren(
      ...areas.items
        .filter((a) => a.type === 'subdivision')
        .map((a) =>
          h(
            'div',
            { class: 'check' },
            h('input', { type: 'checkbox', id: `region-${a.code}`, value: a.code }),
            h('label', { for: `region-${a.code}` }, `${a.name} (${a.code})`),
          ),
        ),
    );
  });

  const body = (): DeclarationBody => ({
    scheme: scheme.value,
    level: levels.querySelector<HTMLInputElement>('input:checked')?.value ?? '',
    areas: whole.checked
      ? [country.value].filter(Boolean)
      : [...regions.querySelectorAll<HTMLInputElement>('input:checked')].map((box) => box.value),
    headline: headline.value.trim(),
    summary: summary.value.trim(),
    measures: measures.value
      .split('\n')
      .map((m) => m.trim())
      .filter(Boolean),
    authority: authority.value.trim(),
    sourceUrl: sourceUrl.value.trim() || undefined,
    effectiveAt: toInstant(effectiveAt.value),
    expiresAt: toInstant(expiresAt.value),
  });

  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-labelledby': 'publish-heading' },
    field('country', 'Country', country),
    regionsFieldset,
    field('scheme', 'Scheme', scheme),
    levels,
    field('headline', 'Headline', headline, 'One line, as it will appear in alerts.'),
    field('summary', 'Summary', summary),
    field('measures', 'Measures', measures, 'One per line. Filled in from the level; edit freely.'),
    field('authority', 'Declared by (authority)', authority),
    field('sourceUrl', 'Source (optional)', sourceUrl, 'A link to the official announcement.'),
    h(
      'div',
      { class: 'two-columns' },
      field('effectiveAt', 'Starts (optional)', effectiveAt, `Empty = now. Your time zone: ${zone}.`),
      field('expiresAt', 'Ends (optional)', expiresAt, 'Empty = until further notice.'),
    ),
    formStatus,
    h('button', { type: 'submit' }, 'Review and preview'),
  );
  const review = h('section', {
    class: 'review',
    hidden: true,
    'aria-labelledby': 'review-heading',
    tabindex: -1,
  });
  const screen = h('div', {}, h('h2', { id: 'publish-heading' }, 'Publish a declaration'), form, review);

  const showErrors = (error: unknown) => {
    for (const p of form.querySelectorAll<HTMLElement>('.field-error')) p.hidden = true;
    for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
    const problem = error instanceof ApiError ? error : new ApiError(0, String(error));
    for (const { field: name, message } of problem.errors) {
      const target = document.getElementById(`${name.split('.')[0]}-error`);
      if (!target) continue;
      target.hidden = false;
      target.textContent = `${name} ${message}`;
      form.querySelector(`#${name.split('.')[0]}`)?.setAttribute('aria-invalid', 'true');
    }
    formStatus.replaceChildren(h('p', { class: 'error' }, problem.message));
  };

  const localCheck = (b: DeclarationBody): string | null => {
    if (!b.areas.length)
      return country.value ? 'Choose at least one region, or the whole country.' : 'Choose a country.';
    if (!b.level) return 'Choose a level.';
    if (!b.headline || !b.summary || !b.authority) return 'Fill in the headline, summary and authority.';
    return null;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const b = body();
    const problem = localCheck(b);
    if (problem) return showErrors(new ApiError(400, problem));
    formStatus.replaceChildren();
    try {
      const preview = await api<Preview>('/v1/declarations/preview', {
        method: 'POST',
        body: b,
        key: session.key,
      });
      showReview(b, preview);
    } catch (error) {
      showErrors(error);
    }
  });

  const showReview = (b: DeclarationBody, preview: Preview) => {
    const schemeOf = selectedScheme();
    const level = schemeOf.levels.find((l) => l.code === b.level)!;
    const scheduled = b.effectiveAt && new Date(b.effectiveAt) > new Date();
    const publish = h(
      'button',
      { type: 'button' },
      scheduled ? `Schedule for ${formatInstant(b.effectiveAt!)}` : 'Publish now',
    );
    const back = h('button', { type: 'button', class: 'secondary' }, 'Back to edit');
    const outcome = h('div', { class: 'form-status', role: 'status' });
    review.replaceChildren(
      h('h2', { id: 'review-heading' }, 'Review before sending'),
      h(
        'dl',
        { class: 'summary-list' },
        h('dt', {}, 'Level'),
        h('dd', {}, levelChip(level), ' ', schemeOf.name),
        h('dt', {}, 'Areas'),
        h('dd', {}, b.areas.map((code) => `${areaNames.get(code) ?? code} (${code})`).join(', ')),
        h('dt', {}, 'Headline'),
        h('dd', {}, b.headline),
        h('dt', {}, 'Valid'),
        h(
          'dd',
          {},
          'from ',
          b.effectiveAt ? time(b.effectiveAt) : 'now',
          ', ',
          b.expiresAt ? h('span', {}, 'until ', time(b.expiresAt)) : 'until further notice',
        ),
      ),
      h('h3', {}, 'Who it reaches'),
      h(
        'p',
        { class: 'reach', 'data-webhooks': preview.webhooks, 'data-emails': preview.emails },
        preview.changes.length
          ? `It will reach ${plural(preview.webhooks, 'webhook endpoint', 'webhook endpoints')} and ${plural(preview.emails, 'email subscriber', 'email subscribers')}` +
              (scheduled ? ' when it starts (as subscriptions stand now).' : '.')
          : 'It changes no current level, so nobody will be notified (it is recorded in the history).',
      ),
      ...(preview.changes.length
        ? [
            h(
              'ul',
              { class: 'changes' },
              ...preview.changes.map((c) =>
                h(
                  'li',
                  {},
                  `${c.area.name} (${c.area.code}): `,
                  c.previous ? levelChip(c.previous) : 'no level',
                  ' → ',
                  c.current ? levelChip(c.current) : 'no level',
                  ` — ${c.direction}`,
                ),
              ),
            ),
          ]
        : []),
      h('div', { class: 'button-row' }, publish, back),
      outcome,
    );
    form.hidden = true;
    review.hidden = false;
    review.focus();

    back.addEventListener('click', () => {
      review.hidden = true;
      form.hidden = false;
      headline.focus();
    });
    publish.addEventListener('click', async () => {
      publish.disabled = true;
      try {
        const declaration = await api<Declaration>('/v1/declarations', {
          method: 'POST',
          body: b,
          key: session.key,
        });
        const country = declaration.areas[0]?.parent ?? declaration.areas[0]?.code;
        review.replaceChildren(
          h('h2', { id: 'review-heading' }, declaration.status === 'scheduled' ? 'Scheduled' : 'Published'),
          h(
            'p',
            { class: 'published', 'data-declaration': declaration.id },
            `“${declaration.headline}” is ${declaration.status}: `,
            levelChip(declaration.level),
            ` ${levelText(declaration.level)} for ${declaration.areas.map((a) => a.name).join(', ')}.`,
          ),
          h(
            'p',
            {},
            h('a', { href: '/' }, 'See the map'),
            country ? ' · ' : null,
            country ? h('a', { href: `/country/${country}` }, 'the country’s page') : null,
            ' · ',
            h('a', { href: '#declarations' }, 'declarations in force'),
          ),
          h('button', { type: 'button', onclick: () => location.reload() }, 'Publish another'),
        );
        review.focus();
      } catch (error) {
        publish.disabled = false;
        outcome.replaceChildren(
          h('p', { class: 'error' }, error instanceof ApiError ? error.message : String(error)),
        );
      }
    });
  };

  return screen;
}

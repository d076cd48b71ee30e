// Publishing a declaration: the form, then a review with the level changes it would announce and how many
// subscribers it would reach (POST /v1/declarations/preview), and only then the publishing itself.

import {
  api,
  ApiError,
  Area,
  inLanguage,
  Declaration,
  DeclarationBody,
  DeclarationMode,
  listCountries,
  listSchemes,
  Page,
  Preview,
  Scheme,
} from '../api';
import { formatInstant, h, time } from '../dom';
import { language, LANGUAGES, t, tNodes } from '../i18n';
import { levelChip, levelText } from '../level-chip';
import { areaName, levelDescription, levelMeasures, schemeName } from '../localised';
import { changeDirection, modeBanner } from '../pages/country';
import { deliveryProgress } from './progress';
import type { Session } from './session';

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

const MODES: Readonly<Record<DeclarationMode, string>> = {
  actual: 'web.publish.mode.actual',
  exercise: 'web.publish.mode.exercise',
  test: 'web.publish.mode.test',
};

// The languages a declaration's text may be offered in: the pages' own, then those of the built-in schemes.
const TEXT_LANGUAGES = [...LANGUAGES, 'fr', 'nl'];

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
    h('option', { value: '' }, t('web.publish.chooseCountry')),
    ...countries.map((c) =>
      h('option', { value: c.code }, t('web.area.withCode', { name: areaName(c), code: c.code })),
    ),
  );
  const whole = h('input', { type: 'checkbox', id: 'whole-country', checked: true });
  const wholeLabel = h('label', { for: 'whole-country' }, t('web.publish.wholeCountry'));
  const regions = h('div', { class: 'region-list', hidden: true });
  const regionsFieldset = h(
    'fieldset',
    { class: 'regions', 'data-field': 'areas', hidden: true },
    h('legend', {}, t('web.publish.where')),
    h('div', { class: 'check' }, whole, wholeLabel),
    h('p', { class: 'hint', id: 'regions-hint' }, t('web.publish.whereHint')),
    regions,
    h('p', { class: 'field-error', id: 'areas-error', hidden: true }),
  );
  const scheme = h(
    'select',
    { id: 'scheme', required: true },
    ...schemes.map((s) => h('option', { value: s.id }, schemeName(s))),
  );
  const levels = h(
    'fieldset',
    { class: 'level-choice', 'data-field': 'level' },
    h('legend', {}, t('web.publish.level')),
  );
  const languageNames = new Intl.DisplayNames([language()], { type: 'language' });
  const textLanguage = h(
    'select',
    { id: 'language' },
    ...TEXT_LANGUAGES.map((tag) =>
      h('option', { value: tag, selected: tag === language() }, languageNames.of(tag) ?? tag),
    ),
  );
  const headline = h('input', { id: 'headline', type: 'text', maxlength: 200, required: true });
  const summary = h('textarea', { id: 'summary', rows: 3, maxlength: 5000, required: true });
  const measures = h('textarea', { id: 'measures', rows: 5 });
  const authority = h('input', { id: 'authority', type: 'text', maxlength: 300, required: true });
  const sourceUrl = h('input', { id: 'sourceUrl', type: 'url', placeholder: 'https://' });
  const effectiveAt = h('input', { id: 'effectiveAt', type: 'datetime-local' });
  const expiresAt = h('input', { id: 'expiresAt', type: 'datetime-local' });
  const mode = h(
    'select',
    { id: 'mode' },
    ...Object.entries(MODES).map(([m, label]) =>
      h('option', { value: m, selected: m === 'actual' }, t(label)),
    ),
  );
  // Only an admin may skip approval (DESIGN.md §5.4); the reason is required and kept in the audit log.
  const isAdmin = session.caller.role === 'admin';
  const urgent = h('input', {
    type: 'checkbox',
    id: 'urgent',
    'aria-describedby': 'urgent-hint',
    'aria-controls': 'urgent-reason-field',
  });
  const urgentReason = h('textarea', { id: 'urgentReason', rows: 2, maxlength: 1000 });
  const urgentReasonField = field('urgentReason', t('web.publish.urgentReason'), urgentReason);
  urgentReasonField.id = 'urgent-reason-field';
  urgentReasonField.hidden = true;
  urgent.addEventListener('change', () => {
    urgentReasonField.hidden = !urgent.checked;
    urgentReason.required = urgent.checked;
    if (urgent.checked) urgentReason.focus();
  });
  const urgentFieldset = isAdmin
    ? h(
        'div',
        { class: 'urgent', 'data-field': 'urgent' },
        h('div', { class: 'check' }, urgent, h('label', { for: 'urgent' }, t('web.publish.urgent'))),
        h('p', { class: 'hint', id: 'urgent-hint' }, t('web.publish.urgentHint')),
        h('p', { class: 'field-error', id: 'urgent-error', hidden: true }),
        urgentReasonField,
      )
    : null;
  const formStatus = h('div', { class: 'form-status', role: 'alert' });
  const areaNames = new Map(countries.map((c) => [c.code, areaName(c)]));
  let schemeTouched = false;
  let measuresTouched = false;

  const selectedScheme = (): Scheme => schemes.find((s) => s.id === scheme.value) ?? schemes[0];
  const renderLevels = () => {
    const chosen = levels.querySelector<HTMLInputElement>('input:checked')?.value;
    levels.replaceChildren(
      h('legend', {}, t('web.publish.level')),
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
              if (!measuresTouched) measures.value = levelMeasures(level, textLanguage.value).join('\n');
            },
          }),
          h(
            'div',
            { class: 'level-text' },
            h('label', { for: `level-${level.code}` }, levelChip(level, scheme.value)),
            h('span', { class: 'meta', id: `level-${level.code}-description` }, levelDescription(level)),
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
  // The measures filled in from the level follow the language the text is written in.
  textLanguage.addEventListener('change', () => {
    const chosen = selectedScheme().levels.find(
      (l) => l.code === levels.querySelector<HTMLInputElement>('input:checked')?.value,
    );
    if (chosen && !measuresTouched) measures.value = levelMeasures(chosen, textLanguage.value).join('\n');
  });
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
    wholeLabel.textContent = t('web.publish.allOf', { name: areaName(chosenCountry) });
    if (!schemeTouched && chosenCountry.defaultScheme) {
      scheme.value = chosenCountry.defaultScheme;
      renderLevels();
    }
    const areas = await api<Page<Area>>(inLanguage(`/v1/areas?country=${code}`));
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
            h('label', { for: `region-${a.code}` }, t('web.area.withCode', { name: a.name, code: a.code })),
          ),
        ),
    );
  });

  const body = (): DeclarationBody => ({
    language: textLanguage.value,
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
    // Left out when actual and not urgent, so such a request is what it always was.
    ...(mode.value !== 'actual' ? { mode: mode.value as DeclarationMode } : {}),
    ...(isAdmin && urgent.checked ? { urgent: true, urgentReason: urgentReason.value.trim() } : {}),
  });

  const form = h(
    'form',
    { class: 'stack', novalidate: true, 'aria-labelledby': 'publish-heading' },
    field('mode', t('web.publish.mode'), mode, t('web.publish.modeHint')),
    field('country', t('web.publish.country'), country),
    regionsFieldset,
    field('scheme', t('web.publish.scheme'), scheme),
    levels,
    field('language', t('web.publish.language'), textLanguage, t('web.publish.languageHint')),
    field('headline', t('web.publish.headline'), headline, t('web.publish.headlineHint')),
    field('summary', t('web.publish.summary'), summary),
    field('measures', t('web.publish.measures'), measures, t('web.publish.measuresHint')),
    field('authority', t('web.publish.authority'), authority),
    field('sourceUrl', t('web.publish.sourceUrl'), sourceUrl, t('web.publish.sourceUrlHint')),
    h(
      'div',
      { class: 'two-columns' },
      field('effectiveAt', t('web.publish.starts'), effectiveAt, t('web.publish.startsHint', { zone })),
      field('expiresAt', t('web.publish.ends'), expiresAt, t('web.publish.endsHint')),
    ),
    urgentFieldset,
    formStatus,
    h('button', { type: 'submit' }, t('web.publish.review')),
  );
  const review = h('section', {
    class: 'review',
    hidden: true,
    'aria-labelledby': 'review-heading',
    tabindex: -1,
  });
  const screen = h('div', {}, h('h2', { id: 'publish-heading' }, t('web.publish.heading')), form, review);

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
      return country.value ? t('web.publish.check.regions') : t('web.publish.check.country');
    if (!b.level) return t('web.publish.check.level');
    if (!b.headline || !b.summary || !b.authority) return t('web.publish.check.texts');
    if (b.urgent && !b.urgentReason) return t('web.publish.check.urgentReason');
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
      scheduled
        ? t('web.publish.scheduleFor', { time: formatInstant(b.effectiveAt!) })
        : t('web.publish.now'),
    );
    const back = h('button', { type: 'button', class: 'secondary' }, t('web.publish.back'));
    const outcome = h('div', { class: 'form-status', role: 'status' });
    const chosenMode = b.mode ?? 'actual';
    review.replaceChildren(
      h('h2', { id: 'review-heading' }, t('web.publish.reviewHeading')),
      ...[modeBanner(chosenMode)].filter((banner) => banner !== null),
      h(
        'dl',
        { class: 'summary-list' },
        h('dt', {}, t('web.publish.mode')),
        h('dd', { 'data-mode': chosenMode }, t(MODES[chosenMode])),
        ...(b.urgent ? [h('dt', {}, t('web.publish.urgent')), h('dd', {}, b.urgentReason ?? '')] : []),
        h('dt', {}, t('web.publish.level')),
        h('dd', {}, levelChip(level, schemeOf.id), ' ', schemeName(schemeOf)),
        h('dt', {}, t('web.declaration.areasLabel')),
        h(
          'dd',
          {},
          b.areas
            .map((code) => t('web.area.withCode', { name: areaNames.get(code) ?? code, code }))
            .join(', '),
        ),
        h('dt', {}, t('web.publish.headline')),
        h('dd', {}, b.headline),
        h('dt', {}, t('web.declaration.validLabel')),
        h(
          'dd',
          {},
          ...tNodes(b.effectiveAt ? 'web.time.fromUntil' : 'web.time.fromNowUntil', {
            from: b.effectiveAt ? time(b.effectiveAt) : '',
            until: b.expiresAt
              ? h('span', {}, ...tNodes('web.time.until', { time: time(b.expiresAt) }))
              : time(null),
          }),
        ),
      ),
      h('h3', {}, t('web.publish.reachHeading')),
      h(
        'p',
        { class: 'reach', 'data-webhooks': preview.webhooks, 'data-emails': preview.emails },
        preview.changes.length
          ? t(scheduled ? 'web.publish.reachWhenItStarts' : 'web.publish.reach', {
              webhooks: preview.webhooks,
              emails: preview.emails,
            })
          : t('web.publish.reachNobody'),
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
                  `${t('web.area.withCode', { name: areaNames.get(c.area.code) ?? c.area.name, code: c.area.code })}: `,
                  c.previous ? levelChip(c.previous, c.scheme) : t('web.publish.noLevel'),
                  ' → ',
                  c.current ? levelChip(c.current, c.scheme) : t('web.publish.noLevel'),
                  ` — ${changeDirection(c.direction)}`,
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
        const pending = declaration.status === 'pending_approval';
        review.replaceChildren(
          h(
            'h2',
            { id: 'review-heading' },
            pending
              ? t('web.publish.pendingApproval')
              : declaration.status === 'scheduled'
                ? t('web.publish.scheduled')
                : t('web.publish.published'),
          ),
          ...[modeBanner(declaration.mode ?? 'actual')].filter((banner) => banner !== null),
          h(
            'p',
            { class: 'published', 'data-declaration': declaration.id, 'data-status': declaration.status },
            ...(pending
              ? [t('web.publish.outcomePending', { headline: declaration.headline })]
              : tNodes(
                  declaration.status === 'scheduled' ? 'web.publish.outcomeScheduled' : 'web.publish.outcome',
                  {
                    headline: declaration.headline,
                    chip: levelChip(declaration.level, declaration.scheme),
                    level: levelText(declaration.level, declaration.scheme),
                    areas: declaration.areas.map((a) => areaNames.get(a.code) ?? areaName(a)).join(', '),
                  },
                )),
          ),
          // Nothing goes out while it waits for approval; a scheduled one's progress begins at its start.
          ...(pending
            ? []
            : [
                deliveryProgress(
                  session,
                  declaration.id,
                  declaration.status === 'scheduled' ? declaration.effectiveAt : undefined,
                ),
              ]),
          h(
            'p',
            {},
            h('a', { href: '/' }, t('web.publish.seeMap')),
            country ? ' · ' : null,
            country ? h('a', { href: `/country/${country}` }, t('web.publish.countryPage')) : null,
            ' · ',
            h('a', { href: '#declarations' }, t('web.publish.inForce')),
          ),
          h('button', { type: 'button', onclick: () => location.reload() }, t('web.publish.another')),
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

// A small element builder: every text goes in as a text node, so data from the API is never parsed as HTML.

import { formatDateTime, t } from './i18n';

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(element: Element, attributes: Attributes, children: Child[]): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
}

/** `h('a', { href: '/x', class: 'link' }, 'text', child)`; `on…` attributes add listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attributes, children);
  return element;
}

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, attributes, children);
  return element;
}

export function main(): HTMLElement {
  return document.getElementById('main')!;
}

/** Replaces the page's content and title. */
export function showPage(title: string, ...content: Node[]): void {
  document.title = t('web.page.title', { title });
  main().replaceChildren(...content);
}

/** A `<time>` showing an instant in the reader's time zone and language, with the exact instant in `datetime`. */
export function time(iso: string | null, whenNull = t('web.time.untilFurtherNotice')): Node {
  if (!iso) return document.createTextNode(whenNull);
  return h('time', { datetime: iso }, formatDateTime(new Date(iso)));
}

export const formatInstant = (iso: string): string => formatDateTime(new Date(iso));

// Pure: declarations as an Atom feed (RFC 4287) in the manner of the OASIS "CAP Feeds" practice: one entry per
// declaration, each linking its CAP message. Everything in it comes from stored data, never from the clock,
// so the same declarations always give the same bytes (the ETag is a hash of them).
import { matchLanguage } from '@tocsin/i18n';
import { Declaration, textIn } from '@tocsin/declarations';
import { create } from 'xmlbuilder2';
import { CAP_MEDIA_TYPE, Governed, isUnissued } from './cap';
import { capUrl, declarationUrl, schemeUrl } from './links';

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
export const ATOM_MEDIA_TYPE = 'application/atom+xml';

export interface AtomFeedContext {
  /** Base of every link, PUBLIC_URL. */
  publicUrl: string;
  /** The feed's own URL: its `id` and `self` link. */
  selfUrl: string;
  title: string;
  /**
   * The feed's language, its `xml:lang`: entries are in it where their declaration has it, else in their
   * declaration's own (and say so with an `xml:lang` of their own).
   */
  language: string;
  /** The language `title` is in, when not `language` (no catalog in it). */
  titleLanguage?: string;
  /** The name of a declaration's level in `language`; default its own name. */
  levelName?: (declaration: Declaration) => string;
  /** What comes before a cancelled entry's summary, in `language`: `Cancelled: <reason>.` by default. */
  cancelledNote?: (reason: string | null) => string;
}

const englishCancelledNote = (reason: string | null): string =>
  reason ? `Cancelled: ${reason}.` : 'Cancelled.';

/**
 * Whether a declaration belongs in the public feeds: an exercise or a test would read as a real level to a
 * feed reader (which never sees CAP's status), and a declaration waiting for approval or rejected was never
 * issued. Their CAP documents stay readable by id, marked (see capStatus).
 */
export function inPublicFeed(declaration: Governed): boolean {
  return (declaration.mode ?? 'actual') === 'actual' && !isUnissued(declaration);
}

/** RFC 3339, to the second. */
const atomTime = (instant: Date): string => `${instant.toISOString().slice(0, 19)}Z`;

/** When an entry last changed: its publication, or its cancellation. */
export function entryUpdated(declaration: Declaration): Date {
  return declaration.cancelledAt ?? declaration.createdAt;
}

/** The newest change among `declarations`, or null for none. */
export function lastChangeOf(declarations: readonly Declaration[]): Date | null {
  const times = declarations.map((d) => entryUpdated(d).getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}

/**
 * A tag URI (RFC 4151) for an entry: the service's host, the day the declaration was published, its id.
 * It stays the same whatever happens to the declaration afterwards.
 */
export function entryId(publicUrl: string, declaration: Declaration): string {
  return `tag:${new URL(publicUrl).hostname},${declaration.createdAt.toISOString().slice(0, 10)}:declarations/${declaration.id}`;
}

/** The feed of `declarations`, in the order given (newest first, by the caller). */
export function renderAtomFeed(context: AtomFeedContext, declarations: readonly Declaration[]): string {
  const feed = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele(
    ATOM_NAMESPACE,
    'feed',
  );
  feed.att('http://www.w3.org/XML/1998/namespace', 'xml:lang', context.language);
  feed.ele('id').txt(context.selfUrl);
  feed.ele('title', context.titleLanguage ? { 'xml:lang': context.titleLanguage } : {}).txt(context.title);
  // An empty feed has never changed; the epoch keeps the document a pure function of its entries.
  feed.ele('updated').txt(atomTime(lastChangeOf(declarations) ?? new Date(0)));
  feed.ele('author').ele('name').txt('Tocsin');
  feed.ele('generator').txt('Tocsin');
  feed.ele('link', { rel: 'self', type: ATOM_MEDIA_TYPE, href: context.selfUrl });

  const levelName = context.levelName ?? ((d: Declaration) => d.level.name);
  const cancelledNote = context.cancelledNote ?? englishCancelledNote;
  for (const declaration of declarations) {
    const text = textIn(declaration, context.language);
    // A text in another language than the feed's says which.
    const own = matchLanguage(context.language, [text.language]) ? {} : { 'xml:lang': text.language };
    const entry = feed.ele('entry');
    entry.ele('id').txt(entryId(context.publicUrl, declaration));
    entry.ele('title', own).txt(text.headline);
    entry.ele('updated').txt(atomTime(entryUpdated(declaration)));
    entry.ele('published').txt(atomTime(declaration.createdAt));
    entry.ele('author').ele('name').txt(declaration.authority);
    entry.ele('category', {
      term: declaration.level.code,
      scheme: schemeUrl(context.publicUrl, declaration.schemeId),
      label: levelName(declaration),
    });
    // The CAP link comes first: feed readers take the first alternate as the entry's link.
    entry.ele('link', {
      rel: 'alternate',
      type: CAP_MEDIA_TYPE,
      href: capUrl(context.publicUrl, declaration.id),
    });
    entry.ele('link', {
      rel: 'alternate',
      type: 'application/json',
      href: declarationUrl(context.publicUrl, declaration.id),
    });
    const cancelled = declaration.cancelledAt ? `${cancelledNote(declaration.cancelReason)} ` : '';
    entry.ele('summary', own).txt(`${cancelled}${text.summary}`);
  }
  return feed.end({ prettyPrint: true });
}

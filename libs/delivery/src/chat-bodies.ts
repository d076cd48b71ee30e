// Pure: the body a chat endpoint (DESIGN.md §5.5) gets for a `threat_level.*` event, in the shape that
// service's incoming webhook or Bot API takes: Slack (text + blocks), Teams (an Adaptive Card), Discord
// (content + embeds) and Telegram (Bot API sendMessage, HTML). Each says the area, the change of level, the
// headline, when it is in force and where the details are, escaped for that service's markup, in the
// level's colour where the service has colours. Rendering comes in two steps, like the email's: the words
// once per event (`chatAlertOf`), then each format's body from them (`chatBody`).
import { areaName } from '@tocsin/areas';
import type { ChangedLevel, LevelChangedEvent } from '@tocsin/declarations';
import { textIn } from '@tocsin/declarations';
import { formatInstant, translate } from '@tocsin/i18n';
import { readerOf, zoneFor } from '@tocsin/subscribers';
import escapeHtml from 'escape-html';
import { AlertMode, alertModeOf, subjectMarker } from './alert-email';

/** The webhook formats that are a chat service's; `standard` is the signed event itself. */
export const CHAT_FORMATS = ['slack', 'teams', 'discord', 'telegram'] as const;
export type ChatFormat = (typeof CHAT_FORMATS)[number];

export const isChatFormat = (format: string): format is ChatFormat =>
  (CHAT_FORMATS as readonly string[]).includes(format);

/** Change lines shown before "…and N more areas": chat messages are read at a glance, and have length limits. */
export const MAX_CHANGE_LINES = 10;

/** What every format says, as plain text; each format escapes it for its own markup. */
export interface ChatAlert {
  mode: AlertMode;
  /** "EXERCISE: no threat level has changed.", for a non-actual event; null for an actual one. */
  notice: string | null;
  /** "[EXERCISE] " or "[TEST] " (untranslated, like the email subject's), or "". */
  marker: string;
  /** "Almaty: CRITICAL (red)", "Kazakhstan and 2 more areas: …", "Almaty: level lifted". */
  title: string;
  headline: string;
  /** "Almaty (KZ-75): no level → CRITICAL (red)", one per change shown. */
  changes: string[];
  /** "…and 3 more areas" past MAX_CHANGE_LINES; null when every change is shown. */
  moreChanges: string | null;
  /** "In force from …, until further notice.", or when it was cancelled or expired. */
  validity: string;
  issuedBy: string;
  link: string;
  linkLabel: string;
  /** The first change's current level's colour (`#rrggbb`), null when it has none or no level remains. */
  color: string | null;
  /** The event's instant (ISO 8601), for the formats that show one. */
  timestamp: string;
}

export interface ChatAlertOptions {
  /** Where the details are: the country's page, as the email links to. */
  declarationUrl: string;
  /** BCP 47; default `en` (endpoints have no language of their own). */
  language?: string;
}

/** Quotation marks around a colour inside a level's name, clutter in a line (as in the email). */
const QUOTES = /[«»“”„"]/g;

export function chatAlertOf(event: LevelChangedEvent, options: ChatAlertOptions): ChatAlert {
  const language = options.language ?? 'en';
  const { ui, locale } = readerOf(language, 'en');
  const t = (key: string, values?: Record<string, unknown>) => translate(ui, key, values);
  const d = event.data.declaration;
  const changes = event.data.changes;
  const zone = zoneFor(null, changes[0]?.area.code);
  const at = (iso: string) => formatInstant(new Date(iso), locale, zone);
  const upper = t('chat.alert.levelCase') === 'upper';
  const words = (level: ChangedLevel | null) => {
    if (!level) return t('chat.alert.noLevel');
    const name = level.name.replace(QUOTES, '').replace(/\s+/g, ' ').trim();
    return t('chat.alert.level', { name: upper ? name.toLocaleUpperCase(ui) : name, code: level.code });
  };
  const area = (code: string) => areaName(code, language);

  const first = changes[0];
  const where = first
    ? changes.length > 1
      ? t('chat.alert.where', { area: area(first.area.code), count: changes.length - 1 })
      : area(first.area.code)
    : '';
  const title = first?.current
    ? t('chat.alert.title', { where, level: words(first.current) })
    : t('chat.alert.titleLifted', { where });
  const lines = changes.slice(0, MAX_CHANGE_LINES).map((change) =>
    t('chat.alert.change', {
      area: area(change.area.code),
      code: change.area.code,
      from: words(change.previous),
      to: words(change.current),
    }),
  );
  const hidden = changes.length - lines.length;
  const validity =
    event.data.cause === 'cancelled'
      ? t('chat.alert.cancelled', { at: at(event.timestamp) })
      : event.data.cause === 'expired'
        ? t('chat.alert.expired', { at: at(event.timestamp) })
        : d.expiresAt
          ? t('chat.alert.inForce', { from: at(d.effectiveAt), until: at(d.expiresAt) })
          : t('chat.alert.inForceOpenEnded', { from: at(d.effectiveAt) });
  // The headline in the language the email would pick for this reader; payloads written before
  // declarations had languages are English with no translations.
  const text = textIn({ ...d, language: d.language ?? 'en', translations: d.translations ?? {} }, language);
  const mode = alertModeOf(event);
  return {
    mode,
    notice:
      mode === 'actual'
        ? null
        : t(mode === 'exercise' ? 'chat.alert.exerciseNotice' : 'chat.alert.testNotice'),
    marker: subjectMarker(mode),
    title,
    headline: text.headline,
    changes: lines,
    moreChanges: hidden > 0 ? t('chat.alert.moreChanges', { count: hidden }) : null,
    validity,
    issuedBy: t('chat.alert.issuedBy', { authority: d.authority }),
    link: options.declarationUrl,
    linkLabel: t('chat.alert.details'),
    color: first?.current ? hexColor(first.current.color) : null,
    timestamp: event.timestamp,
  };
}

/** The body for `format`, as the JSON to POST; `telegramChatId` is the chat a Telegram endpoint posts to. */
export function chatBody(format: ChatFormat, alert: ChatAlert, telegramChatId: string | null = null): string {
  switch (format) {
    case 'slack':
      return JSON.stringify(slackBody(alert));
    case 'teams':
      return JSON.stringify(teamsBody(alert));
    case 'discord':
      return JSON.stringify(discordBody(alert));
    case 'telegram':
      if (telegramChatId === null) throw new Error('a telegram endpoint has no chat id');
      return JSON.stringify(telegramBody(alert, telegramChatId));
  }
}

/** One event's body for one format, in one step (the channel keeps the steps apart to render once per batch). */
export function chatBodyOf(
  format: ChatFormat,
  event: LevelChangedEvent,
  options: ChatAlertOptions & { telegramChatId?: string | null },
): string {
  return chatBody(format, chatAlertOf(event, options), options.telegramChatId ?? null);
}

// --- Slack ------------------------------------------------------------------------------------------------

/** Slack's mrkdwn wants exactly these three escaped, and nothing else (api.slack.com, "Formatting text"). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack header blocks take at most 150 characters of plain text. */
const SLACK_HEADER_LIMIT = 150;

/**
 * Top-level `text` (the notification, and what clients without blocks show) and `blocks`: the notice and
 * the title. The details sit in an attachment, the only place Slack draws a colour (its bar).
 */
export function slackBody(alert: ChatAlert) {
  const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
  const details = [
    `*${slackEscape(alert.headline)}*`,
    ...alert.changes.map(slackEscape),
    ...(alert.moreChanges ? [slackEscape(alert.moreChanges)] : []),
  ].join('\n');
  return {
    text: slackEscape(`${alert.marker}${alert.title}: ${alert.headline}`),
    blocks: [
      ...(alert.notice ? [{ type: 'section', text: mrkdwn(`*${slackEscape(alert.notice)}*`) }] : []),
      {
        type: 'header',
        text: {
          type: 'plain_text',
          text: clip(alert.marker + alert.title, SLACK_HEADER_LIMIT),
          emoji: false,
        },
      },
    ],
    attachments: [
      {
        ...(alert.color ? { color: alert.color } : {}),
        blocks: [
          { type: 'section', text: mrkdwn(details) },
          {
            type: 'context',
            elements: [mrkdwn(slackEscape(`${alert.validity} ${alert.issuedBy}`))],
          },
          {
            type: 'section',
            text: mrkdwn(`<${slackEscape(alert.link)}|${slackEscape(alert.linkLabel)}>`),
          },
        ],
      },
    ],
    unfurl_links: false,
  };
}

// --- Teams ------------------------------------------------------------------------------------------------

/** The colours an Adaptive Card's TextBlock may take: names, never a hex value. */
export type AdaptiveColor = 'attention' | 'warning' | 'good' | 'accent' | 'default';

/** The named Adaptive Card colour nearest a level's colour: red → attention, orange/yellow → warning, … */
export function adaptiveColorOf(color: string | null): AdaptiveColor {
  switch (colourFamilyOf(color)) {
    case 'red':
      return 'attention';
    case 'orange':
    case 'yellow':
      return 'warning';
    case 'green':
      return 'good';
    case 'blue':
    case 'purple':
      return 'accent';
    default:
      return 'default';
  }
}

/**
 * A Bot Framework message with one Adaptive Card (1.4, what Teams' workflows and connectors render). Its
 * TextBlocks read a little Markdown, so the texts go in as they are; there is no markup to escape in JSON.
 */
export function teamsBody(alert: ChatAlert) {
  const block = (text: string, extra: Record<string, unknown> = {}) => ({
    type: 'TextBlock',
    text,
    wrap: true,
    ...extra,
  });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            ...(alert.notice ? [block(alert.notice, { weight: 'Bolder', color: 'accent' })] : []),
            block(alert.marker + alert.title, {
              size: 'Large',
              weight: 'Bolder',
              color: adaptiveColorOf(alert.color),
            }),
            block(alert.headline, { weight: 'Bolder' }),
            ...alert.changes.map((line) => block(line, { spacing: 'Small' })),
            ...(alert.moreChanges ? [block(alert.moreChanges, { spacing: 'Small' })] : []),
            block(`${alert.validity} ${alert.issuedBy}`, { isSubtle: true, size: 'Small' }),
          ],
          actions: [{ type: 'Action.OpenUrl', title: alert.linkLabel, url: alert.link }],
        },
      },
    ],
  };
}

// --- Discord ----------------------------------------------------------------------------------------------

/**
 * Discord's Markdown, made literal with backslashes: emphasis, code, spoilers, masked links anywhere, and
 * headings, quotes and lists at the start of a line. Mentions are not escaped here: `allowed_mentions`
 * keeps any from pinging.
 */
export function discordEscape(text: string): string {
  return text.replace(/[\\*_~`|[\]]/g, '\\$&').replace(/^([#>-])/gm, '\\$1');
}

/** Discord's limits: an embed's title 256 characters, its description 4096, a message's content 2000. */
const DISCORD_TITLE_LIMIT = 256;
const DISCORD_DESCRIPTION_LIMIT = 4096;
const DISCORD_CONTENT_LIMIT = 2000;

/** `content` (the notification line) and one embed in the level's colour, which Discord takes as an integer. */
export function discordBody(alert: ChatAlert) {
  const description = [
    `**${discordEscape(alert.headline)}**`,
    '',
    ...alert.changes.map(discordEscape),
    ...(alert.moreChanges ? [discordEscape(alert.moreChanges)] : []),
    '',
    discordEscape(alert.validity),
  ].join('\n');
  const content = alert.notice
    ? `**${discordEscape(alert.notice)}** ${discordEscape(alert.title)}`
    : discordEscape(alert.title);
  const color = alert.color === null ? null : parseInt(alert.color.slice(1), 16);
  return {
    content: clip(content, DISCORD_CONTENT_LIMIT),
    embeds: [
      {
        // Embed titles are not Markdown: as they are.
        title: clip(alert.marker + alert.title, DISCORD_TITLE_LIMIT),
        description: clip(description, DISCORD_DESCRIPTION_LIMIT),
        url: alert.link,
        ...(color === null ? {} : { color }),
        footer: { text: alert.issuedBy },
        timestamp: alert.timestamp,
      },
    ],
    // A headline or a name with @everyone or <@id> in it must never ping anyone.
    allowed_mentions: { parse: [] },
  };
}

// --- Telegram ---------------------------------------------------------------------------------------------

/** Telegram's HTML parse mode: `&`, `<`, `>` and, in attributes, `"` as entities (escape-html does all four). */
export const telegramEscape = (text: string): string => escapeHtml(text);

/** A coloured circle for the level, Telegram messages having no colour of their own. */
const CIRCLES: Readonly<Record<ColourFamily, string>> = {
  red: '🔴',
  orange: '🟠',
  yellow: '🟡',
  green: '🟢',
  blue: '🔵',
  purple: '🟣',
  grey: '⚪',
};

/**
 * A Bot API `sendMessage` body in HTML parse mode, without a link preview (the link is ours, its preview
 * would only repeat the message). A numeric chat id goes as a number, a channel's `@name` as a string.
 */
export function telegramBody(alert: ChatAlert, chatId: string) {
  const family = colourFamilyOf(alert.color);
  const circle = family === null ? '' : `${CIRCLES[family]} `;
  const lines = [
    ...(alert.notice ? [`<b>${telegramEscape(alert.notice)}</b>`, ''] : []),
    `${circle}<b>${telegramEscape(alert.marker + alert.title)}</b>`,
    '',
    `<i>${telegramEscape(alert.headline)}</i>`,
    '',
    ...alert.changes.map(telegramEscape),
    ...(alert.moreChanges ? [telegramEscape(alert.moreChanges)] : []),
    '',
    telegramEscape(`${alert.validity} ${alert.issuedBy}`),
    `<a href="${telegramEscape(alert.link)}">${telegramEscape(alert.linkLabel)}</a>`,
  ];
  const numeric = /^-?\d+$/.test(chatId) && Number.isSafeInteger(Number(chatId));
  return {
    chat_id: numeric ? Number(chatId) : chatId,
    // Within Telegram's 4096 characters: a headline has at most 200, and ten change lines are shown.
    text: lines.join('\n'),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
  };
}

// --- Colours ----------------------------------------------------------------------------------------------

type ColourFamily = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple' | 'grey';

/** `#rrggbb` (or `#rgb`, widened), lower case; null for anything else. */
export function hexColor(color: string | null): string | null {
  if (!color) return null;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`.toLowerCase();
  return /^#[0-9a-f]{6}$/i.test(color) ? color.toLowerCase() : null;
}

/** Which named colour a level's colour is nearest, by hue; washed-out, very dark or very light ones are grey. */
function colourFamilyOf(color: string | null): ColourFamily | null {
  const hex = hexColor(color);
  if (!hex) return null;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const lightness = (max + min) / 2;
  const chroma = max - min;
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  if (saturation < 0.2 || lightness < 0.1 || lightness > 0.92) return 'grey';
  const sector =
    max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  const hue = sector * 60;
  // Material's yellow 700 (#fbc02d) sits at 43°, its orange 700 (#f57c00) at 30°.
  if (hue < 15 || hue >= 330) return 'red';
  if (hue < 38) return 'orange';
  if (hue < 70) return 'yellow';
  if (hue < 165) return 'green';
  if (hue < 255) return 'blue';
  return 'purple';
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

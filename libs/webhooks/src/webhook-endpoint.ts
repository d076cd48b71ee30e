import { SubscriptionFilter } from '@tocsin/subscribers';

/** A receiver of signed webhooks, as its owner may see it: never its secrets. */
export interface WebhookEndpoint {
  id: string;
  /** The API key that owns it; an integrator sees only its own. */
  ownerKeyId: string;
  url: string;
  description: string | null;
  /** Told by email when deliveries keep failing and the endpoint is disabled. */
  contactEmail: string | null;
  filter: SubscriptionFilter;
  /** Also receives exercises and tests (DESIGN.md §5.4); nobody else does. */
  exercises: boolean;
  enabled: boolean;
  /** Why it is disabled: by its owner, or by deliveries that kept failing. */
  disabledReason: string | null;
  /** The body's shape (DESIGN.md §5.5): the signed event itself, or what a chat service takes. */
  format: WebhookFormat;
  /** The chat a `telegram` endpoint posts to; null for every other format. */
  telegramChatId: string | null;
  /** `whsec_` and a few characters, to tell the current secret from an old one. */
  secretPrefix: string;
  /** While a rotation's grace period lasts, the previous secret still signs; null otherwise. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint as stored, with the secrets it signs with, sealed (see WebhookSecrets). Stays inside this lib. */
export interface StoredWebhookEndpoint extends Omit<WebhookEndpoint, 'secretPrefix'> {
  secret: string;
  previousSecret: string | null;
}

/** `standard`: the event as signed JSON; the others: the body that chat service's webhook or Bot API takes. */
export const WEBHOOK_FORMATS = ['standard', 'slack', 'teams', 'discord', 'telegram'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A Telegram chat: its numeric id (negative for groups and channels), or a public channel's `@username`. */
const TELEGRAM_CHAT_ID = /^(-?[1-9]\d{0,15}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;

export type FormatChoice =
  { ok: true; format: WebhookFormat; telegramChatId: string | null } | { ok: false; reason: string };

/**
 * The format and Telegram chat an endpoint ends up with, from what it has (`current`, null when new) and
 * what is asked. A telegram endpoint needs a chat; no other format takes one, and leaving telegram drops
 * the chat it had.
 */
export function chooseFormat(
  current: { format: WebhookFormat; telegramChatId: string | null } | null,
  asked: { format?: string; telegramChatId?: string | null },
): FormatChoice {
  const format = asked.format ?? current?.format ?? 'standard';
  if (!(WEBHOOK_FORMATS as readonly string[]).includes(format))
    return { ok: false, reason: `format must be one of ${WEBHOOK_FORMATS.join(', ')}, not "${format}"` };
  if (format !== 'telegram') {
    if (asked.telegramChatId !== undefined && asked.telegramChatId !== null)
      return { ok: false, reason: `telegramChatId is only for the telegram format, not ${format}` };
    return { ok: true, format: format as WebhookFormat, telegramChatId: null };
  }
  const chatId =
    asked.telegramChatId !== undefined
      ? asked.telegramChatId
      : current?.format === 'telegram'
        ? current.telegramChatId
        : null;
  if (chatId === null)
    return { ok: false, reason: 'the telegram format needs telegramChatId, the chat to post to' };
  if (!TELEGRAM_CHAT_ID.test(chatId))
    return {
      ok: false,
      reason: "telegramChatId must be a chat's numeric id (e.g. -1001234567890) or a channel's @username",
    };
  return { ok: true, format: 'telegram', telegramChatId: chatId };
}

import { z } from 'zod';

/** Seconds before each webhook retry; `1,1,1` = four attempts in all. */
const retrySchedule = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be whole seconds separated by commas, e.g. "5,300,1800"')
  .transform((s) => s.split(',').map((part) => Number(part.trim())));

/** Addresses separated by commas; an empty text is none. */
const emailList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z.email({
          message: 'must be email addresses separated by commas, e.g. "duty@cert.example,chief@cert.example"',
        }),
      )
      .max(50, 'may list at most 50 addresses'),
  );

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

/**
 * The canonical form of a BCP 47 tag, or null. As @tocsin/i18n's canonicalLanguage, but config depends on no
 * other lib (scripts/generate-settings-table.mjs loads this file alone).
 */
function canonicalLanguage(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/** One setting: where it is read from, how it is checked and turned into its value, and what it means. */
export interface Setting<S extends z.ZodType = z.ZodType> {
  /** The environment variable. */
  readonly env: string;
  /** Parses the variable's text (trimmed) into the property's value; unset = `undefined`. */
  readonly schema: S;
  /** The text used when the variable is unset, as one would write it; `$NAME` is another setting's text. */
  readonly default?: string;
  /** What it does, for the README's table (`npm run settings:readme`). */
  readonly description: string;
  /** A secret: an error message never shows its value. */
  readonly secret?: boolean;
}

const setting = <S extends z.ZodType>(definition: Setting<S>): Setting<S> => definition;

/**
 * Every setting, once: each property of `AppConfig` with the variable it comes from. Everything else (the
 * type, the checks at start, the README's table) is derived from this; the order is the README's.
 */
export const SETTINGS = {
  port: setting({
    env: 'PORT',
    schema: z.coerce.number().int().min(0).max(65535),
    default: '3000',
    description: 'where the HTTP API listens',
  }),
  host: setting({
    env: 'HOST',
    schema: z.string().min(1),
    default: '0.0.0.0',
    description: 'the address the HTTP API listens on',
  }),
  publicUrl: setting({
    env: 'PUBLIC_URL',
    schema: url(['http:', 'https:']).transform((value) => value.replace(/\/+$/, '')),
    default: 'http://localhost:$PORT',
    description: 'base of links in emails and feeds',
  }),
  databaseUrl: setting({
    env: 'DATABASE_URL',
    schema: url(['postgres:', 'postgresql:']).optional(),
    description: 'PostgreSQL (`postgres://…`); unset = embedded PGlite in `DATA_DIR/pglite`',
  }),
  dataDir: setting({
    env: 'DATA_DIR',
    schema: z.string().min(1),
    default: './data',
    description: 'embedded database, first admin key, email files',
  }),
  redisUrl: setting({
    env: 'REDIS_URL',
    schema: url(['redis:', 'rediss:']),
    default: 'redis://127.0.0.1:6379',
    description: 'Redis or Valkey; must answer at start',
  }),
  queuePrefix: setting({
    env: 'QUEUE_PREFIX',
    schema: z.string().regex(/^[A-Za-z0-9_.:-]+$/, 'may hold only letters, digits and _ . : -'),
    default: 'tocsin',
    description: 'Redis key prefix, so several installs or test runs share a Redis safely',
  }),
  adminApiKey: setting({
    env: 'ADMIN_API_KEY',
    schema: z
      .string()
      .regex(/^tk_[A-Za-z0-9_-]{24,}$/, 'must be "tk_" followed by at least 24 letters, digits, _ or -')
      .optional(),
    description: 'an admin key (`tk_` + 24 or more of `[A-Za-z0-9_-]`) registered at start',
    secret: true,
  }),
  smtpUrl: setting({
    env: 'SMTP_URL',
    schema: url(['smtp:', 'smtps:']).optional(),
    description: 'email transport; unset = `.eml` files in `DATA_DIR/outbox`',
  }),
  mailFrom: setting({
    env: 'MAIL_FROM',
    schema: z.string().min(3),
    default: 'Tocsin <alerts@tocsin.invalid>',
    description: 'the sender of every email',
  }),
  approvalNotifyEmails: setting({
    env: 'APPROVAL_NOTIFY_EMAILS',
    schema: emailList.optional().transform((list) => list ?? []),
    description:
      'addresses (comma-separated) told by email when a declaration or a cancellation awaits approval; unset = none',
  }),
  smppUrl: setting({
    env: 'SMPP_URL',
    schema: url(['smpp:', 'ssmpp:'])
      .refine((value) => new URL(value).username !== '', {
        message: 'must name the system_id, e.g. "smpp://system_id:password@smsc.example:2775"',
      })
      .refine((value) => decodeURIComponent(new URL(value).username).length <= 15, {
        message: 'must have a system_id of at most 15 characters',
      })
      .optional(),
    description:
      'the SMSC for SMS (`smpp://system_id:password@host:port`, `ssmpp://` for TLS; port 2775 / 3550 unless given), one transceiver bind per process; unset = SMS off',
  }),
  smsFrom: setting({
    env: 'SMS_FROM',
    schema: z
      .string()
      .regex(
        /^(\+[1-9]\d{6,14}|(?=.*[A-Za-z])[A-Za-z0-9 ._-]{1,11})$/,
        'must be a phone number in E.164 (e.g. "+77010000000") or at most 11 letters and digits with a letter (e.g. "Tocsin")',
      ),
    default: 'Tocsin',
    description:
      'the sender of every SMS: an alphanumeric name (≤ 11, the operator may need to register it) or an E.164 number',
  }),
  smppWindow: setting({
    env: 'SMPP_WINDOW',
    schema: z.coerce.number().int().min(1).max(1000),
    default: '10',
    description: 'submit_sm awaiting their answer at once on the SMPP bind; the rest wait in memory',
  }),
  webhookAllowPrivate: setting({
    env: 'WEBHOOK_ALLOW_PRIVATE',
    schema: booleanFlag,
    default: 'false',
    description: 'allow webhook targets on loopback and private addresses',
  }),
  webhookTimeoutMs: setting({
    env: 'WEBHOOK_TIMEOUT_MS',
    schema: z.coerce.number().int().min(100).max(120000),
    default: '10000',
    description: 'webhook connect + response timeout',
  }),
  webhookRetryScheduleSeconds: setting({
    env: 'WEBHOOK_RETRY_SCHEDULE',
    schema: retrySchedule,
    default: '5,300,1800,7200,18000,36000,36000',
    description: 'seconds before each retry',
  }),
  trustProxy: setting({
    env: 'TRUST_PROXY',
    schema: booleanFlag,
    default: 'false',
    description: 'take the client address from `X-Forwarded-For` (only behind a proxy that sets it)',
  }),
  reconcileIntervalMs: setting({
    env: 'RECONCILE_INTERVAL_MS',
    schema: z.coerce.number().int().min(100).max(3600000),
    default: '30000',
    description:
      'how often a worker re-enqueues work whose job was lost (Redis restarted empty); work is lost after twice this',
  }),
  tripClockSeconds: setting({
    env: 'TRIP_CLOCK_SECONDS',
    schema: z.coerce.number().int().min(1).max(3600),
    default: '60',
    description:
      "how often the worker sweeps trips: ends those past `activeUntil` and sends each begun trip's summary",
  }),
  digestSweepSeconds: setting({
    env: 'DIGEST_SWEEP_SECONDS',
    schema: z.coerce.number().int().min(1).max(3600),
    default: '60',
    description:
      'how often the worker looks for email digests now due (a digest goes out within this of its `digestHour`)',
  }),
  workerMetricsPort: setting({
    env: 'WORKER_METRICS_PORT',
    schema: z.coerce.number().int().min(1).max(65535).optional(),
    description:
      'a worker run apart serves Prometheus `/metrics` on this port (the API serves its own at `/metrics`)',
  }),
  webhookDisableAfterMs: setting({
    env: 'WEBHOOK_DISABLE_AFTER_HOURS',
    schema: z.coerce
      .number()
      .positive()
      .max(8760)
      .transform((hours) => Math.round(hours * 3600 * 1000)),
    default: '72',
    description:
      'an endpoint whose every delivery has failed this long is disabled, and its `contactEmail` told',
  }),
  bodyLimitBytes: setting({
    env: 'BODY_LIMIT_BYTES',
    schema: z.coerce.number().int().min(1024).max(10485760),
    default: '262144',
    description: 'largest request body accepted (413 beyond)',
  }),
  requestTimeoutMs: setting({
    env: 'REQUEST_TIMEOUT_MS',
    schema: z.coerce.number().int().min(1000).max(600000),
    default: '30000',
    description: "longest a request's headers and body may take to arrive; a slower client is cut off",
  }),
  streamMaxPerClient: setting({
    env: 'STREAM_MAX_PER_CLIENT',
    schema: z.coerce.number().int().min(1).max(100000),
    default: '10',
    description: 'open `GET /v1/stream` connections allowed from one client address (429 beyond)',
  }),
  sourceMinPollSeconds: setting({
    env: 'SOURCE_MIN_POLL_SECONDS',
    schema: z.coerce.number().int().min(1).max(86400),
    default: '60',
    description: 'the shortest `pollSeconds` a `cap-feed` source may have',
  }),
  ingestMaxBytes: setting({
    env: 'INGEST_MAX_BYTES',
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024),
    default: String(1024 * 1024),
    description: 'the largest CAP document or feed accepted by ingest (pushed or fetched), in bytes',
  }),
  streamMax: setting({
    env: 'STREAM_MAX',
    schema: z.coerce.number().int().min(1).max(1000000),
    default: '1000',
    description: 'open `GET /v1/stream` connections allowed in all (503 beyond)',
  }),
  secretsKey: setting({
    env: 'SECRETS_KEY',
    schema: z
      .string()
      .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
        message: 'must be 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`',
      })
      .transform((v) => Buffer.from(v, 'base64'))
      .optional(),
    description:
      '32 random bytes in base64 (`openssl rand -base64 32`) that encrypt webhook secrets and the link-signing key; unset = a key file in `DATA_DIR`, created at first start (mode 0600)',
    secret: true,
  }),
  defaultLanguage: setting({
    env: 'DEFAULT_LANGUAGE',
    schema: z
      .string()
      .refine((tag) => canonicalLanguage(tag) !== null, {
        message: 'must be a BCP 47 language tag such as en, ru, kk or fr',
      })
      .transform((tag) => canonicalLanguage(tag) ?? tag),
    default: 'en',
    description:
      "the language of a declaration that names none, and of emails to a subscriber whose `Accept-Language` Tocsin has no texts for (en, ru, kk; another tag's emails are in English)",
  }),
  logLevel: setting({
    env: 'LOG_LEVEL',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: '`fatal` … `trace`, or `silent`',
  }),
  logFormat: setting({
    env: 'LOG_FORMAT',
    schema: z.enum(['auto', 'json', 'pretty']),
    default: 'auto',
    description:
      '`json` lines, `pretty` coloured lines for people, or `auto`: pretty when stdout is a terminal',
  }),
  redisAutostart: setting({
    env: 'REDIS_AUTOSTART',
    schema: z.enum(['auto', 'true', 'false']),
    default: 'auto',
    description:
      '`npm start`: when no Redis answers, run `redis-server` from the PATH (data in `DATA_DIR/redis`); `auto`: only while `REDIS_URL` is unset',
  }),
};

type Settings = typeof SETTINGS;

/** The validated settings, each property the output of its setting's schema. */
export type AppConfigValues = { readonly [P in keyof Settings]: z.output<Settings[P]['schema']> };

/**
 * The validated settings, built by `loadConfig`. A class so that Nest injects it by type; never instantiated,
 * its members are `AppConfigValues`, derived from `SETTINGS`, through the interface of the same name.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class AppConfig {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends AppConfigValues {}

export class ConfigError extends Error {}

/** A setting's value as an error message may show it: secrets hidden, URL passwords redacted. */
function shownValue(setting: Setting, value: string | undefined): string {
  if (setting.secret) return '(hidden)';
  return JSON.stringify(value === undefined ? value : redactUrl(value));
}

/** `value` with the password of a URL in it replaced by `***`; anything that is not a URL as it is. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/\/\/([^:/@\s]*):[^@/\s]*@/, '//$1:***@');
  }
}

/**
 * Reads and validates the settings. An empty variable counts as unset, so `FOO=` in a compose file
 * means "the default". Throws a ConfigError whose message is one line naming every bad setting.
 */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const values: Partial<Record<keyof Settings, unknown>> = {};
  const reasons: string[] = [];
  // The text each valid setting was read from, for `$NAME` in a later default.
  const texts = new Map<string, string>();
  for (const [property, setting] of Object.entries(SETTINGS) as [keyof Settings, Setting][]) {
    const given = env[setting.env]?.trim() || undefined;
    let text = given;
    if (text === undefined && setting.default !== undefined) {
      const references = [...setting.default.matchAll(/\$([A-Z][A-Z0-9_]*)/g)].map(([, name]) => name);
      // A default built from a bad setting is not checked: that setting's own reason says what is wrong.
      if (!references.every((name) => texts.has(name))) continue;
      text = setting.default.replace(/\$([A-Z][A-Z0-9_]*)/g, (_, name: string) => texts.get(name) ?? '');
    }
    const parsed = setting.schema.safeParse(text);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        reasons.push(`${setting.env} ${issue.message} (got ${shownValue(setting, text)})`);
      continue;
    }
    if (text !== undefined) texts.set(setting.env, text);
    values[property] = parsed.data;
  }
  if (reasons.length > 0) throw new ConfigError(`Invalid configuration: ${reasons.join('; ')}`);
  // Every property of SETTINGS was set above, from its own schema.
  return values as AppConfig;
}

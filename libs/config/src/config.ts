import { z } from 'zod';

/** Seconds before each webhook retry; `1,1,1` = four attempts in all. */
const retrySchedule = z
  .string()
  .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be whole seconds separated by commas, e.g. "5,300,1800"')
  .transform((s) => s.split(',').map((part) => Number(part.trim())));

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
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

const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, 'may hold only letters, digits and _ . : -')
    .default('tocsin'),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('Tocsin <alerts@tocsin.invalid>'),
  ADMIN_API_KEY: z
    .string()
    .regex(/^tk_[A-Za-z0-9_-]{24,}$/, 'must be "tk_" followed by at least 24 letters, digits, _ or -')
    .optional(),
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  WEBHOOK_RETRY_SCHEDULE: retrySchedule.default([5, 300, 1800, 7200, 18000, 36000, 36000]),
  TRUST_PROXY: booleanFlag.default(false),
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().max(8760).default(72),
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).max(3600000).default(30000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10485760).default(262144),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
  STREAM_MAX_PER_CLIENT: z.coerce.number().int().min(1).max(100000).default(10),
  STREAM_MAX: z.coerce.number().int().min(1).max(1000000).default(1000),
  SECRETS_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`',
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The validated settings. Injected by this class as a token, built by `loadConfig`. */
export abstract class AppConfig {
  abstract readonly port: number;
  abstract readonly host: string;
  abstract readonly publicUrl: string;
  /** Unset: the embedded PGlite database in `dataDir`. */
  abstract readonly databaseUrl: string | undefined;
  abstract readonly dataDir: string;
  abstract readonly redisUrl: string;
  abstract readonly queuePrefix: string;
  abstract readonly smtpUrl: string | undefined;
  abstract readonly mailFrom: string;
  abstract readonly adminApiKey: string | undefined;
  abstract readonly webhookAllowPrivate: boolean;
  abstract readonly webhookTimeoutMs: number;
  abstract readonly webhookRetryScheduleSeconds: readonly number[];
  /** An endpoint whose every delivery has failed for this long is disabled and its contact told. */
  abstract readonly webhookDisableAfterMs: number;
  /** Where a worker running apart serves /metrics; unset = nowhere (the embedded process serves them on PORT). */
  abstract readonly workerMetricsPort: number | undefined;
  /** How often the worker looks for work whose job was lost; work counts as lost after twice this. */
  abstract readonly reconcileIntervalMs: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  abstract readonly trustProxy: boolean;
  abstract readonly bodyLimitBytes: number;
  /** Longest a request (headers and body) may take to arrive, and the headers alone. */
  abstract readonly requestTimeoutMs: number;
  /** Open SSE connections allowed from one client address, and in all. */
  abstract readonly streamMaxPerClient: number;
  abstract readonly streamMax: number;
  /** Key (32 bytes) that encrypts secrets at rest; unset = a key file in `dataDir`, created at first start. */
  abstract readonly secretsKey: Buffer | undefined;
  abstract readonly logLevel: string;
}

export class ConfigError extends Error {}

const SECRET_SETTINGS = new Set(['ADMIN_API_KEY', 'SECRETS_KEY']);

/** A setting's value as an error message may show it: secrets hidden, URL passwords redacted. */
function shownValue(key: string, value: string | undefined): string {
  if (SECRET_SETTINGS.has(key)) return '(hidden)';
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
  const present = Object.fromEntries(
    Object.keys(environment.shape)
      .map((key) => [key, env[key]?.trim()])
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      const shown = shownValue(key, present[key]);
      return `${key} ${issue.message} (got ${shown})`;
    });
    throw new ConfigError(`Invalid configuration: ${reasons.join('; ')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    adminApiKey: e.ADMIN_API_KEY,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
    webhookRetryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE,
    trustProxy: e.TRUST_PROXY,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    webhookDisableAfterMs: Math.round(e.WEBHOOK_DISABLE_AFTER_HOURS * 3600 * 1000),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    streamMaxPerClient: e.STREAM_MAX_PER_CLIENT,
    streamMax: e.STREAM_MAX,
    secretsKey: e.SECRETS_KEY === undefined ? undefined : Buffer.from(e.SECRETS_KEY, 'base64'),
    logLevel: e.LOG_LEVEL,
  };
}

import { ConfigError, loadConfig, redactUrl } from './config';

describe('loadConfig', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: './data',
      redisUrl: 'redis://127.0.0.1:6379',
      queuePrefix: 'tocsin',
      webhookAllowPrivate: false,
      webhookTimeoutMs: 10000,
      webhookRetryScheduleSeconds: [5, 300, 1800, 7200, 18000, 36000, 36000],
      logLevel: 'info',
      defaultLanguage: 'en',
    });
  });

  it.each([
    ['ru', 'ru'],
    ['KK-kz', 'kk-KZ'],
    ['fr', 'fr'],
  ])('takes DEFAULT_LANGUAGE=%s as %s', (given, tag) => {
    expect(loadConfig({ DEFAULT_LANGUAGE: given }).defaultLanguage).toBe(tag);
  });

  it('refuses a DEFAULT_LANGUAGE that is not a BCP 47 tag', () => {
    expect(() => loadConfig({ DEFAULT_LANGUAGE: 'en_US' })).toThrow(
      'DEFAULT_LANGUAGE must be a BCP 47 language tag such as en, ru, kk or fr (got "en_US")',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });

  it('parses the retry schedule and boolean flags', () => {
    const config = loadConfig({ WEBHOOK_RETRY_SCHEDULE: '1, 1,1', WEBHOOK_ALLOW_PRIVATE: 'true' });
    expect(config.webhookRetryScheduleSeconds).toEqual([1, 1, 1]);
    expect(config.webhookAllowPrivate).toBe(true);
  });

  it('reads APPROVAL_NOTIFY_EMAILS as a list of addresses, none when unset', () => {
    expect(loadConfig({}).approvalNotifyEmails).toEqual([]);
    expect(
      loadConfig({ APPROVAL_NOTIFY_EMAILS: ' duty@cert.example, chief@cert.example ,' }).approvalNotifyEmails,
    ).toEqual(['duty@cert.example', 'chief@cert.example']);
  });

  it('refuses an APPROVAL_NOTIFY_EMAILS that is not a list of addresses, in one line', () => {
    const load = () => loadConfig({ APPROVAL_NOTIFY_EMAILS: 'duty@cert.example; chief' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      /^Invalid configuration: APPROVAL_NOTIFY_EMAILS must be email addresses separated by commas.*\(got "duty@cert\.example; chief"\)$/,
    );
  });

  it('leaves SMS off with SMPP_URL unset, and sends from "Tocsin" with a window of 10', () => {
    expect(loadConfig({})).toMatchObject({ smppUrl: undefined, smsFrom: 'Tocsin', smppWindow: 10 });
  });

  it.each(['smpp://tocsin:s3cret@smsc.example:2775', 'ssmpp://tocsin@smsc.example'])(
    'takes SMPP_URL=%s',
    (value) => {
      expect(loadConfig({ SMPP_URL: value }).smppUrl).toBe(value);
    },
  );

  it.each([
    ['http://smsc.example:2775', 'must be a URL starting with smpp:// or ssmpp://'],
    ['smpp://smsc.example:2775', 'must name the system_id'],
    ['smpp://a-system-id-too-long:pw@smsc.example', 'must have a system_id of at most 15 characters'],
  ])('refuses SMPP_URL=%s: %s', (value, reason) => {
    expect(() => loadConfig({ SMPP_URL: value })).toThrow(`SMPP_URL ${reason}`);
  });

  it('never prints the SMPP password in a refusal', () => {
    expect(() => loadConfig({ SMPP_URL: 'smpp://a-system-id-too-long:hunter2@smsc.example' })).toThrow(
      '(got "smpp://a-system-id-too-long:***@smsc.example")',
    );
  });

  it.each(['Tocsin', 'CERT KZ', '+77010000000', 'KZ-CERT.1'])('takes SMS_FROM=%s', (value) => {
    expect(loadConfig({ SMS_FROM: value }).smsFrom).toBe(value);
  });

  it.each(['TocsinAlerts', '77010000000', '+0123456789', 'Токсин', '!!!'])('refuses SMS_FROM=%s', (value) => {
    expect(() => loadConfig({ SMS_FROM: value })).toThrow(
      /^Invalid configuration: SMS_FROM must be a phone number/,
    );
  });

  it('refuses an SMPP_WINDOW below 1', () => {
    expect(() => loadConfig({ SMPP_WINDOW: '0' })).toThrow(/^Invalid configuration: SMPP_WINDOW /);
    expect(loadConfig({ SMPP_WINDOW: '50' }).smppWindow).toBe(50);
  });

  it('strips a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://tocsin.example.org/' }).publicUrl).toBe(
      'https://tocsin.example.org',
    );
  });

  it('builds the default PUBLIC_URL from PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('gives WEBHOOK_DISABLE_AFTER_HOURS in milliseconds and SECRETS_KEY unset as undefined', () => {
    const config = loadConfig({ WEBHOOK_DISABLE_AFTER_HOURS: '1.5' });
    expect(config.webhookDisableAfterMs).toBe(5_400_000);
    expect(loadConfig({}).webhookDisableAfterMs).toBe(72 * 3_600_000);
    expect(config.secretsKey).toBeUndefined();
  });

  it('names only the bad setting, not the defaults made from it', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/^Invalid configuration: PORT [^;]*$/);
  });

  it('names every bad setting in one line', () => {
    expect(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT .*; LOG_LEVEL /);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['WEBHOOK_RETRY_SCHEDULE', '5,,10'],
    ['LOG_LEVEL', 'loud'],
    ['QUEUE_PREFIX', 'has space'],
  ])('rejects %s=%s with a one-line reason naming the setting', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [key]: value });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(key);
      expect(message).not.toContain('\n');
    }
  });

  it('never prints the admin key it rejects', () => {
    expect(() => loadConfig({ ADMIN_API_KEY: 'secret-but-badly-formed' })).toThrow(
      /ADMIN_API_KEY .*\(hidden\)/,
    );
  });

  it('never prints the secrets key it rejects', () => {
    expect(() => loadConfig({ SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/SECRETS_KEY .*\(hidden\)/);
  });

  it('accepts a 32-byte SECRETS_KEY in base64', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadConfig({ SECRETS_KEY: key.toString('base64') }).secretsKey).toEqual(key);
  });

  it('redacts the password of a URL it rejects', () => {
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://tocsin:hunter2@db/tocsin' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('mysql://tocsin:***@db/tocsin');
    expect(message).not.toContain('hunter2');
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/tocsin', 'postgres://app:***@db:5432/tocsin'],
    ['redis://:s3cret@cache:6379', 'redis://:***@cache:6379'],
    ['smtp://mailer:p%40ss@mail:587', 'smtp://mailer:***@mail:587'],
    ['postgres://db/tocsin', 'postgres://db/tocsin'],
    ['not a url user:s3cret@host', 'not a url user:s3cret@host'],
  ])('%s → %s', (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });
});

import { Webhook } from 'standardwebhooks';
import { eventually } from './support/eventually';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/** A Bot API path as Telegram gives it: the token is a secret that must show nowhere. */
const BOT_TOKEN = '123456:AAE_secret-Token';
const TELEGRAM_PATH = `/bot${BOT_TOKEN}/sendMessage`;
const HEADLINE = `Attack <b>&"' warning, @everyone`;

const declaration = {
  scheme: 'kz-terror',
  level: 'red',
  areas: ['KZ-75'],
  headline: HEADLINE,
  summary: 'Repeat attacks are possible.',
  authority: 'Anti-Terrorist Centre',
};

describe('chat formats on webhook endpoints', () => {
  let test: TestApp;
  let receiver: WebhookReceiver;
  const endpoints: Record<string, { id: string; secret: string }> = {};

  const create = (body: Record<string, unknown>) =>
    test.http
      .post('/v1/webhooks')
      .set(test.as())
      .send({ areas: ['KZ'], ...body });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    test = await startTestApp('postgres', { WEBHOOK_RETRY_SCHEDULE: '1,1' });
    // Telegram's first answer is a 500, so the delivery log has a failed attempt to show (or not show) the URL.
    receiver.script(TELEGRAM_PATH, [{ status: 500 }, { status: 200 }]);
    for (const format of ['standard', 'slack', 'teams', 'discord'])
      endpoints[format] = (await create({ url: receiver.url(`/${format}`), format }).expect(201)).body;
    endpoints.telegram = (
      await create({
        url: receiver.url(TELEGRAM_PATH),
        format: 'telegram',
        telegramChatId: '-1001234567890',
      }).expect(201)
    ).body;
    await test.http.post('/v1/declarations').set(test.as()).send(declaration).expect(201);
    await receiver.waitFor(
      () =>
        ['/standard', '/slack', '/teams', '/discord'].every((p) => receiver.at(p).length >= 1) &&
        receiver.at(TELEGRAM_PATH).length >= 2,
      20_000,
      'one body per format',
    );
  });
  afterAll(async () => {
    await test?.close();
    await receiver?.close();
  });

  const bodyAt = (path: string) => {
    const receipts = receiver.at(path);
    expect(receipts.length).toBeGreaterThanOrEqual(1);
    return JSON.parse(receipts[0].body);
  };

  it('shows each endpoint’s format, and the chat of the telegram one', async () => {
    const { body } = await test.http.get('/v1/webhooks?limit=10').set(test.as()).expect(200);
    const formats = Object.fromEntries(
      body.items.map((e: { format: string; telegramChatId: string | null }) => [e.format, e.telegramChatId]),
    );
    expect(formats).toEqual({
      standard: null,
      slack: null,
      teams: null,
      discord: null,
      telegram: '-1001234567890',
    });
  });

  it('still sends the signed event itself to a standard endpoint', () => {
    const receipt = receiver.at('/standard')[0];
    const verified = new Webhook(endpoints.standard.secret).verify(
      receipt.body,
      receipt.headers as Record<string, string>,
    ) as { type: string; data: { declaration: { headline: string } } };
    expect(verified.type).toBe('threat_level.changed');
    expect(verified.data.declaration.headline).toBe(HEADLINE);
  });

  it('sends Slack text and blocks, the headline escaped for mrkdwn, the details in the level colour', () => {
    const body = bodyAt('/slack');
    expect(body.text).toBe(`Almaty: CRITICAL (red): Attack &lt;b&gt;&amp;"' warning, @everyone`);
    expect(body.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Almaty: CRITICAL (red)', emoji: false } },
    ]);
    expect(body.attachments[0].color).toBe('#d32f2f');
    expect(body.attachments[0].blocks[0].text).toEqual({
      type: 'mrkdwn',
      text: `*Attack &lt;b&gt;&amp;"' warning, @everyone*\nAlmaty (KZ-75): no level → CRITICAL (red)`,
    });
    expect(body.attachments[0].blocks[2].text.text).toMatch(
      new RegExp(`^<${test.config.publicUrl}/country/KZ\\|Details>$`),
    );
  });

  it('sends Teams a message with an Adaptive Card attachment in a named colour', () => {
    const body = bodyAt('/teams');
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { type: 'AdaptiveCard', version: '1.4' },
    });
    const card = body.attachments[0].content;
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'Almaty: CRITICAL (red)',
      color: 'attention',
    });
    expect(card.body[1].text).toBe(HEADLINE);
    expect(card.actions[0]).toMatchObject({ type: 'Action.OpenUrl', title: 'Details' });
  });

  it('sends Discord content and an embed with an integer colour, mentions disabled', () => {
    const body = bodyAt('/discord');
    expect(body.content).toBe('Almaty: CRITICAL (red)');
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0].color).toBe(0xd32f2f);
    expect(Number.isInteger(body.embeds[0].color)).toBe(true);
    expect(body.embeds[0].description).toContain('Almaty (KZ-75): no level → CRITICAL (red)');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('sends Telegram a sendMessage body, the headline escaped for its HTML', () => {
    const body = bodyAt(TELEGRAM_PATH);
    expect(body).toMatchObject({
      chat_id: -1001234567890,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(body.text).toContain('<b>Almaty: CRITICAL (red)</b>');
    expect(body.text).toContain('<i>Attack &lt;b&gt;&amp;&quot;&#39; warning, @everyone</i>');
    expect(body.text).not.toContain('<b>&');
  });

  it('signs chat bodies like any webhook, and retries them on the same schedule', async () => {
    for (const format of ['slack', 'teams', 'discord', 'telegram']) {
      const path = format === 'telegram' ? TELEGRAM_PATH : `/${format}`;
      const receipt = receiver.at(path)[0];
      expect(() =>
        new Webhook(endpoints[format].secret).verify(receipt.body, receipt.headers as Record<string, string>),
      ).not.toThrow();
    }
    const [first, second] = receiver.at(TELEGRAM_PATH);
    expect(second.body).toBe(first.body);
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
  });

  it('never shows the bot token: not in the delivery log, the audit log nor a delivery error', async () => {
    const deliveries = await eventually(
      async (): Promise<{ id: string; status: string }[]> =>
        (await test.http.get(`/v1/webhooks/${endpoints.telegram.id}/deliveries`).set(test.as()).expect(200))
          .body.items,
      (items) => items.length === 1 && items[0].status === 'delivered',
      { what: 'the telegram delivery to be delivered' },
    );
    const detail = await test.http.get(`/v1/deliveries/${deliveries[0].id}`).set(test.as()).expect(200);
    expect(detail.body.attemptsLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);
    const audit = await test.http
      .get(`/v1/audit?limit=50&targetType=webhook&targetId=${endpoints.telegram.id}`)
      .set(test.as())
      .expect(200);
    expect(audit.body.items[0].details.url).toBe(receiver.url('/bot123456:[redacted]/sendMessage'));
    const secretPart = BOT_TOKEN.split(':')[1];
    expect(JSON.stringify([deliveries, detail.body, audit.body])).not.toContain(secretPart);
  });

  it('sends a test ping in the endpoint’s format', async () => {
    const before = receiver.at('/slack').length;
    const ping = await test.http.post(`/v1/webhooks/${endpoints.slack.id}/test`).set(test.as()).expect(200);
    expect(ping.body.delivered).toBe(true);
    const receipts = receiver.at('/slack');
    expect(receipts).toHaveLength(before + 1);
    expect(JSON.parse(receipts[before].body)).toEqual({ text: expect.stringContaining('test message') });
  });

  it.each([
    [{ format: 'mattermost' }, /format must be one of standard, slack, teams, discord, telegram/],
    [{ format: 'telegram' }, /needs telegramChatId/],
    [{ format: 'telegram', telegramChatId: 'general' }, /numeric id .* @username/],
    [{ format: 'slack', telegramChatId: '42' }, /only for the telegram format/],
    [{ telegramChatId: '42' }, /only for the telegram format, not standard/],
  ])('refuses %j with a 400 problem', async (change, detail) => {
    const response = await create({ url: receiver.url('/refused'), ...change }).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(detail);
  });

  it('changes a format: telegram needs a chat, and leaving telegram drops it', async () => {
    const { body: created } = await create({ url: receiver.url('/switching') }).expect(201);
    const patch = (change: Record<string, unknown>) =>
      test.http.patch(`/v1/webhooks/${created.id}`).set(test.as()).send(change);
    expect((await patch({ format: 'telegram' }).expect(400)).body.detail).toMatch(/needs telegramChatId/);
    expect(
      (await patch({ format: 'telegram', telegramChatId: '@tocsin_alerts' }).expect(200)).body,
    ).toMatchObject({ format: 'telegram', telegramChatId: '@tocsin_alerts' });
    expect((await patch({ description: 'still telegram' }).expect(200)).body).toMatchObject({
      format: 'telegram',
      telegramChatId: '@tocsin_alerts',
    });
    await patch({ telegramChatId: null }).expect(400);
    await patch({ format: null }).expect(400);
    expect((await patch({ format: 'discord' }).expect(200)).body).toMatchObject({
      format: 'discord',
      telegramChatId: null,
    });
    const audit = await test.http
      .get(`/v1/audit?limit=50&targetType=webhook&targetId=${created.id}`)
      .set(test.as())
      .expect(200);
    expect(audit.body.items[0].details).toEqual({ format: 'discord', telegramChatId: null });
  });
});

import { randomBytes } from 'node:crypto';
import { loadConfig, SecretBox } from '@tocsin/config';
import { WebhookMessage, WebhookSecrets, WebhookSender, WebhookSendResult } from '@tocsin/webhooks';
import { chatAlertOf } from './chat-bodies';
import { levelChangedEvent } from './testing/level-changed-event';
import { webhookDelivery } from './testing/fakes';
import { WebhookChannel } from './webhook-channel';

// The real renderer, counted: a batch of chat endpoints renders an event's words once, not once per endpoint.
jest.mock('./chat-bodies', () => {
  const actual = jest.requireActual<typeof import('./chat-bodies')>('./chat-bodies');
  return { ...actual, chatAlertOf: jest.fn(actual.chatAlertOf) };
});
const render = chatAlertOf as jest.MockedFunction<typeof chatAlertOf>;

const AT = new Date('2022-01-07T09:00:05Z');
const ANSWERED: WebhookSendResult = {
  ok: true,
  statusCode: 200,
  latencyMs: 1,
  error: null,
  responseExcerpt: null,
  retryAfterSeconds: null,
};

describe('WebhookChannel', () => {
  let sent: WebhookMessage[];
  let channel: WebhookChannel;
  let box: SecretBox;

  beforeEach(() => {
    render.mockClear();
    sent = [];
    box = new SecretBox(randomBytes(32), 'SECRETS_KEY');
    const sender = {
      async send(message: WebhookMessage): Promise<WebhookSendResult> {
        sent.push(message);
        return ANSWERED;
      },
    };
    // The repository is only for start-up checks; opening a secret needs the key alone.
    const secrets = new WebhookSecrets(box, {} as ConstructorParameters<typeof WebhookSecrets>[1]);
    channel = new WebhookChannel(
      sender as unknown as WebhookSender,
      secrets,
      loadConfig({ PUBLIC_URL: 'https://tocsin.example' }),
    );
  });

  const endpoint = (id: string, format: string, telegramChatId: string | null = null) =>
    webhookDelivery(id, {
      id: `whk_${id}`,
      secret: box.seal('whsec_x', `whk_${id}`),
      format,
      telegramChatId,
    });

  it('sends a standard endpoint the stored payload itself, rendering nothing', async () => {
    const row = endpoint('d1', 'standard');
    expect(await channel.send(row, AT)).toMatchObject({ ok: true });
    expect(sent[0].body).toBe(row.payloadJson);
    expect(sent[0]).toMatchObject({ id: 'd1', url: row.endpoint.url, secrets: ['whsec_x'], timestamp: AT });
    expect(render).not.toHaveBeenCalled();
  });

  it('sends each chat endpoint its format’s body, linking to the declaration, rendered once per payload', async () => {
    const rows = [
      endpoint('d1', 'slack'),
      endpoint('d2', 'slack'),
      endpoint('d3', 'teams'),
      endpoint('d4', 'discord'),
      endpoint('d5', 'telegram', '42'),
      endpoint('d6', 'telegram', '@tocsin_alerts'),
    ];
    for (const row of rows) expect(await channel.send(row, AT)).toMatchObject({ ok: true });
    const bodies = sent.map((m) => JSON.parse(m.body));
    expect(bodies[0]).toEqual(bodies[1]);
    expect(bodies[0].attachments[0].blocks[2].text.text).toBe('<https://tocsin.example/country/KZ|Details>');
    expect(bodies[2].attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(bodies[3].allowed_mentions).toEqual({ parse: [] });
    expect(bodies.slice(4).map((b) => b.chat_id)).toEqual([42, '@tocsin_alerts']);
    expect(sent.map((m) => m.id)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(render).toHaveBeenCalledTimes(1);

    // Another event is rendered for itself.
    await channel.send(webhookDelivery('d7', { ...rows[0].endpoint }, levelChangedEvent('evt_2')), AT);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('fails a delivery to a format it does not know (set by hand) without calling the receiver', async () => {
    const result = await channel.send(endpoint('d1', 'mattermost'), AT);
    expect(result).toMatchObject({
      ok: false,
      statusCode: null,
      error: 'the endpoint\'s format "mattermost" is not one Tocsin knows',
    });
    expect(sent).toEqual([]);
  });

  it('fails a telegram delivery without a chat', async () => {
    expect(await channel.send(endpoint('d1', 'telegram'), AT)).toMatchObject({
      ok: false,
      error: 'a telegram endpoint has no chat id',
    });
    expect(sent).toEqual([]);
  });
});

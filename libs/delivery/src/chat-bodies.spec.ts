import type { LevelChangedEvent } from '@tocsin/declarations';
import {
  adaptiveColorOf,
  chatAlertOf,
  chatBody,
  chatBodyOf,
  discordEscape,
  hexColor,
  MAX_CHANGE_LINES,
  slackEscape,
  telegramEscape,
} from './chat-bodies';
import { levelChangedEvent, RED } from './testing/level-changed-event';

const URL = 'https://tocsin.example/v1/declarations/dcl_1';
const NASTY = 'Attack <b>&"\' in <@123> @everyone *now*';

/** The fixture's event (KZ raised to red), with changes to its declaration. */
function event(
  declaration: Partial<LevelChangedEvent['data']['declaration']> = {},
  rest: Partial<Omit<LevelChangedEvent, 'data'>> & Partial<LevelChangedEvent['data']> = {},
): LevelChangedEvent {
  const base = levelChangedEvent('evt_1', ['KZ-75']);
  const { type, timestamp, ...data } = rest;
  return {
    ...base,
    ...(type ? { type } : {}),
    ...(timestamp ? { timestamp } : {}),
    data: { ...base.data, ...data, declaration: { ...base.data.declaration, ...declaration } },
  };
}

const parsed = (
  format: Parameters<typeof chatBodyOf>[0],
  e: LevelChangedEvent,
  chatId: string | null = null,
) => JSON.parse(chatBodyOf(format, e, { declarationUrl: URL, telegramChatId: chatId }));

describe('chatAlertOf', () => {
  it('says the area, the change from no level, the headline, the time in force and the link, in English', () => {
    const alert = chatAlertOf(event(), { declarationUrl: URL });
    expect(alert).toEqual({
      mode: 'actual',
      notice: null,
      marker: '',
      title: 'Almaty: CRITICAL (red)',
      headline: 'Critical terrorism threat level',
      changes: ['Almaty (KZ-75): no level → CRITICAL (red)'],
      moreChanges: null,
      // Almaty's own zone, as the email gives it to a subscriber without one.
      validity: expect.stringMatching(/^In force from .*2022.*, until further notice\.$/),
      issuedBy: 'Issued by Anti-Terrorist Centre.',
      link: URL,
      linkLabel: 'Details',
      color: '#d32f2f',
      timestamp: '2022-01-07T09:00:00.000Z',
    });
  });

  it('says the level before and after a change, and a lifted level with no colour', () => {
    const base = event();
    const lowered = event(
      {},
      {
        changes: [
          {
            ...base.data.changes[0],
            previous: { ...RED, declarationId: 'dcl_0' },
            current: null,
            direction: 'deescalated',
          },
        ],
      },
    );
    const alert = chatAlertOf(lowered, { declarationUrl: URL });
    expect(alert.title).toBe('Almaty: level lifted');
    expect(alert.changes).toEqual(['Almaty (KZ-75): CRITICAL (red) → no level']);
    expect(alert.color).toBeNull();
  });

  it('names the first area and counts the others, and shows at most ten change lines', () => {
    const codes = [
      'KZ-75',
      'KZ-71',
      'KZ-10',
      'KZ-11',
      'KZ-15',
      'KZ-19',
      'KZ-23',
      'KZ-27',
      'KZ-31',
      'KZ-33',
      'KZ-35',
      'KZ-39',
    ];
    const alert = chatAlertOf(levelChangedEvent('evt_1', codes), { declarationUrl: URL });
    expect(alert.title).toBe('Almaty and 11 more areas: CRITICAL (red)');
    expect(alert.changes).toHaveLength(MAX_CHANGE_LINES);
    expect(alert.moreChanges).toBe('…and 2 more areas');
  });

  it.each([
    ['exercise', 'EXERCISE: no threat level has changed.', '[EXERCISE] '],
    ['test', 'TEST: no threat level has changed.', '[TEST] '],
  ] as const)('marks a%s declaration', (mode, notice, marker) => {
    const alert = chatAlertOf(event({ mode }, { type: 'threat_level.exercise' }), { declarationUrl: URL });
    expect(alert).toMatchObject({ mode, notice, marker });
  });

  it('reads an event of type threat_level.exercise without a mode as an exercise', () => {
    expect(chatAlertOf(event({}, { type: 'threat_level.exercise' }), { declarationUrl: URL }).mode).toBe(
      'exercise',
    );
  });

  it('says when a cancelled declaration stopped', () => {
    const alert = chatAlertOf(event({}, { cause: 'cancelled', timestamp: '2022-01-19T06:00:00.000Z' }), {
      declarationUrl: URL,
    });
    expect(alert.validity).toMatch(/^Cancelled at .*2022.*\.$/);
  });

  it('takes the headline in the language asked for when the declaration has it', () => {
    const translated = event({
      language: 'ru',
      headline: 'Критический уровень',
      translations: { en: { headline: 'Critical level' } },
    });
    expect(chatAlertOf(translated, { declarationUrl: URL }).headline).toBe('Critical level');
    expect(chatAlertOf(translated, { declarationUrl: URL, language: 'ru' }).headline).toBe(
      'Критический уровень',
    );
  });
});

describe('colours', () => {
  it.each([
    ['#d32f2f', 'attention'],
    ['#f57c00', 'warning'],
    ['#fbc02d', 'warning'],
    ['#afb42b', 'warning'],
    ['#388e3c', 'good'],
    ['#1976d2', 'accent'],
    ['#7b1fa2', 'accent'],
    ['#9e9e9e', 'default'],
    ['#000000', 'default'],
    ['#fff', 'default'],
    ['red', 'default'],
    [null, 'default'],
  ] as const)('maps %s to the Adaptive Card colour %s', (color, named) => {
    expect(adaptiveColorOf(color)).toBe(named);
  });

  it('reads #rgb and #rrggbb, and nothing else', () => {
    expect(hexColor('#F00')).toBe('#ff0000');
    expect(hexColor('#D32F2F')).toBe('#d32f2f');
    expect(hexColor('rgb(1,2,3)')).toBeNull();
    expect(hexColor(null)).toBeNull();
  });
});

describe('escaping', () => {
  it('escapes only &, < and > for Slack', () => {
    expect(slackEscape(`<b>&"'`)).toBe(`&lt;b&gt;&amp;"'`);
  });

  it('escapes &, <, > and " for Telegram HTML', () => {
    expect(telegramEscape(`<b>&"'`)).toBe('&lt;b&gt;&amp;&quot;&#39;');
  });

  it('makes Discord Markdown literal', () => {
    expect(discordEscape('*bold* _it_ `code` ||spoiler|| [a](b) ~x~ \\')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\|\\|spoiler\\|\\| \\[a\\](b) \\~x\\~ \\\\',
    );
    expect(discordEscape('# heading\n> quote\n- item')).toBe('\\# heading\n\\> quote\n\\- item');
  });
});

describe('Slack', () => {
  it('sends text and blocks, the details in an attachment of the level colour', () => {
    const body = parsed('slack', event());
    expect(body).toEqual({
      text: 'Almaty: CRITICAL (red): Critical terrorism threat level',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Almaty: CRITICAL (red)', emoji: false } },
      ],
      attachments: [
        {
          color: '#d32f2f',
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: '*Critical terrorism threat level*\nAlmaty (KZ-75): no level → CRITICAL (red)',
              },
            },
            {
              type: 'context',
              elements: [
                {
                  type: 'mrkdwn',
                  text: expect.stringMatching(/^In force from .* Issued by Anti-Terrorist Centre\.$/),
                },
              ],
            },
            { type: 'section', text: { type: 'mrkdwn', text: `<${URL}|Details>` } },
          ],
        },
      ],
      unfurl_links: false,
    });
  });

  it('escapes a headline with <b>&"\' in mrkdwn, and leaves the plain-text header as it is', () => {
    const body = parsed('slack', event({ headline: NASTY }));
    expect(body.text).toBe(`Almaty: CRITICAL (red): Attack &lt;b&gt;&amp;"' in &lt;@123&gt; @everyone *now*`);
    expect(body.attachments[0].blocks[0].text.text).toContain(`*Attack &lt;b&gt;&amp;"' in &lt;@123&gt;`);
    expect(JSON.stringify(body)).not.toContain('<b>');
  });

  it('opens an exercise with its notice and marks the header', () => {
    const body = parsed('slack', event({ mode: 'exercise' }, { type: 'threat_level.exercise' }));
    expect(body.text).toMatch(/^\[EXERCISE\] Almaty/);
    expect(body.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*EXERCISE: no threat level has changed.*' },
    });
    expect(body.blocks[1].text.text).toBe('[EXERCISE] Almaty: CRITICAL (red)');
  });

  it('has no colour bar for a level without a colour', () => {
    const base = event();
    const plain = event(
      {},
      { changes: [{ ...base.data.changes[0], current: { ...RED, color: null, declarationId: 'dcl_1' } }] },
    );
    expect(parsed('slack', plain).attachments[0]).not.toHaveProperty('color');
  });
});

describe('Teams', () => {
  it('sends a message with one Adaptive Card 1.4, the title in the nearest named colour', () => {
    const body = parsed('teams', event());
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(attachment.content.body.map((b: { text: string }) => b.text)).toEqual([
      'Almaty: CRITICAL (red)',
      'Critical terrorism threat level',
      'Almaty (KZ-75): no level → CRITICAL (red)',
      expect.stringMatching(/^In force from .* Issued by Anti-Terrorist Centre\.$/),
    ]);
    expect(attachment.content.body[0]).toMatchObject({ type: 'TextBlock', color: 'attention', wrap: true });
    expect(attachment.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Details', url: URL }]);
  });

  it('marks a test first, and keeps a headline as text in JSON', () => {
    const body = parsed('teams', event({ mode: 'test', headline: NASTY }, { type: 'threat_level.exercise' }));
    const texts = body.attachments[0].content.body.map((b: { text: string }) => b.text);
    expect(texts.slice(0, 3)).toEqual([
      'TEST: no threat level has changed.',
      '[TEST] Almaty: CRITICAL (red)',
      NASTY,
    ]);
  });
});

describe('Discord', () => {
  it('sends content and one embed with an integer colour, and never pings', () => {
    const body = parsed('discord', event());
    expect(body).toEqual({
      content: 'Almaty: CRITICAL (red)',
      embeds: [
        {
          title: 'Almaty: CRITICAL (red)',
          description: expect.stringMatching(
            /^\*\*Critical terrorism threat level\*\*\n\nAlmaty \(KZ-75\): no level → CRITICAL \(red\)\n\nIn force from /,
          ),
          url: URL,
          color: 0xd32f2f,
          footer: { text: 'Issued by Anti-Terrorist Centre.' },
          timestamp: '2022-01-07T09:00:00.000Z',
        },
      ],
      allowed_mentions: { parse: [] },
    });
  });

  it('escapes a headline’s Markdown, and an exercise says so in content and title', () => {
    const body = parsed(
      'discord',
      event({ mode: 'exercise', headline: NASTY }, { type: 'threat_level.exercise' }),
    );
    expect(body.content).toBe('**EXERCISE: no threat level has changed.** Almaty: CRITICAL (red)');
    expect(body.embeds[0].title).toBe('[EXERCISE] Almaty: CRITICAL (red)');
    expect(body.embeds[0].description).toContain(`**Attack <b>&"' in <@123> @everyone \\*now\\***`);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('Telegram', () => {
  it('sends a sendMessage body in HTML to the chat, without a link preview', () => {
    const body = parsed('telegram', event(), '-1001234567890');
    expect(body).toEqual({
      chat_id: -1001234567890,
      text: expect.any(String),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
    expect(body.text.split('\n')).toEqual([
      '🔴 <b>Almaty: CRITICAL (red)</b>',
      '',
      '<i>Critical terrorism threat level</i>',
      '',
      'Almaty (KZ-75): no level → CRITICAL (red)',
      '',
      expect.stringMatching(/^In force from .* Issued by Anti-Terrorist Centre\.$/),
      `<a href="${URL}">Details</a>`,
    ]);
  });

  it('posts to a channel by its @name', () => {
    expect(parsed('telegram', event(), '@tocsin_alerts').chat_id).toBe('@tocsin_alerts');
  });

  it('escapes a headline with <b>&"\' for Telegram HTML', () => {
    const body = parsed('telegram', event({ headline: NASTY }), '42');
    expect(body.text).toContain('<i>Attack &lt;b&gt;&amp;&quot;&#39; in &lt;@123&gt; @everyone *now*</i>');
    expect(body.text).not.toContain('<b>&');
  });

  it('opens a test with its notice', () => {
    const body = parsed('telegram', event({ mode: 'test' }, { type: 'threat_level.exercise' }), '42');
    expect(body.text.split('\n').slice(0, 3)).toEqual([
      '<b>TEST: no threat level has changed.</b>',
      '',
      '🔴 <b>[TEST] Almaty: CRITICAL (red)</b>',
    ]);
  });

  it('refuses to render without a chat id', () => {
    expect(() => chatBody('telegram', chatAlertOf(event(), { declarationUrl: URL }))).toThrow(/chat id/);
  });
});

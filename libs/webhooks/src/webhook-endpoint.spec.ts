import { chooseFormat } from './webhook-endpoint';

const telegram = { format: 'telegram' as const, telegramChatId: '-1001234567890' };
const slack = { format: 'slack' as const, telegramChatId: null };

describe('chooseFormat', () => {
  it('makes a new endpoint standard unless asked otherwise', () => {
    expect(chooseFormat(null, {})).toEqual({ ok: true, format: 'standard', telegramChatId: null });
    expect(chooseFormat(null, { format: 'discord' })).toEqual({
      ok: true,
      format: 'discord',
      telegramChatId: null,
    });
  });

  it('refuses a format it does not know, naming the ones it does', () => {
    expect(chooseFormat(null, { format: 'mattermost' })).toEqual({
      ok: false,
      reason: 'format must be one of standard, slack, teams, discord, telegram, not "mattermost"',
    });
  });

  it.each(['-1001234567890', '123456789', '@tocsin_alerts'])('takes the Telegram chat %s', (chatId) => {
    expect(chooseFormat(null, { format: 'telegram', telegramChatId: chatId })).toEqual({
      ok: true,
      format: 'telegram',
      telegramChatId: chatId,
    });
  });

  it.each(['', 'general', '12a', '@abc', '-0', '@1channel', '12345678901234567'])(
    'refuses the Telegram chat "%s"',
    (chatId) => {
      expect(chooseFormat(null, { format: 'telegram', telegramChatId: chatId })).toMatchObject({
        ok: false,
        reason: expect.stringContaining('numeric id'),
      });
    },
  );

  it('refuses telegram without a chat, new or switched to', () => {
    const refused = { ok: false, reason: expect.stringContaining('needs telegramChatId') };
    expect(chooseFormat(null, { format: 'telegram' })).toMatchObject(refused);
    expect(chooseFormat(slack, { format: 'telegram' })).toMatchObject(refused);
    expect(chooseFormat(telegram, { telegramChatId: null })).toMatchObject(refused);
  });

  it('refuses a chat for any other format', () => {
    expect(chooseFormat(null, { format: 'slack', telegramChatId: '42' })).toEqual({
      ok: false,
      reason: 'telegramChatId is only for the telegram format, not slack',
    });
    expect(chooseFormat(slack, { telegramChatId: '42' })).toMatchObject({ ok: false });
    expect(chooseFormat(null, { telegramChatId: '42' })).toMatchObject({ ok: false });
  });

  it('keeps a telegram endpoint’s chat when only something else changes, and replaces it when asked', () => {
    expect(chooseFormat(telegram, {})).toEqual({ ok: true, ...telegram });
    expect(chooseFormat(telegram, { telegramChatId: '@tocsin_alerts' })).toEqual({
      ok: true,
      format: 'telegram',
      telegramChatId: '@tocsin_alerts',
    });
  });

  it('drops the chat when the endpoint leaves telegram, a null chat included', () => {
    expect(chooseFormat(telegram, { format: 'teams' })).toEqual({
      ok: true,
      format: 'teams',
      telegramChatId: null,
    });
    expect(chooseFormat(telegram, { format: 'standard', telegramChatId: null })).toEqual({
      ok: true,
      format: 'standard',
      telegramChatId: null,
    });
  });
});

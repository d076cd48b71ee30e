import { loadConfig } from '@tocsin/config';
import { MailError, MailMessage, MailTransport } from '@tocsin/mail';
import { SchemesService, StoredScheme } from '@tocsin/schemes';
import { EmailSubscriptionsService, SubscriberLinks } from '@tocsin/subscribers';
import { EmailChannel } from './email-channel';
import { levelChangedEvent } from './testing/level-changed-event';
import { emailDelivery } from './testing/fakes';

describe('EmailChannel', () => {
  let sent: MailMessage[];
  let mailAnswer: () => Promise<void>;
  let schemeReads: string[];
  let schemeAnswer: () => Promise<StoredScheme>;
  let channel: EmailChannel;

  beforeEach(() => {
    sent = [];
    mailAnswer = async () => undefined;
    schemeReads = [];
    schemeAnswer = async () => ({ id: 'kz-terror', event: 'terrorism threat level' }) as StoredScheme;
    const mail = {
      async send(message: MailMessage) {
        sent.push(message);
        await mailAnswer();
        return { messageId: message.messageId ?? '', via: 'smtp' };
      },
    };
    const subscriptions = {
      async linksFor({ id }: { id: string }): Promise<SubscriberLinks> {
        return {
          manageUrl: `https://tocsin.example/manage/${id}`,
          unsubscribeUrl: `https://tocsin.example/unsubscribe/${id}`,
        };
      },
    };
    const schemes = {
      get(id: string) {
        schemeReads.push(id);
        return schemeAnswer();
      },
    };
    channel = new EmailChannel(
      mail as unknown as MailTransport,
      subscriptions as unknown as EmailSubscriptionsService,
      schemes as unknown as SchemesService,
      loadConfig({ PUBLIC_URL: 'https://tocsin.example' }),
    );
  });

  it('sends the alert to the address with its links and a Message-ID of the delivery', async () => {
    const result = await channel.send(emailDelivery('dlv_1'));

    expect(result).toMatchObject({ ok: true, statusCode: 250, error: null });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'dlv_1@example.org',
      subject: 'Kazakhstan — terrorism threat level CRITICAL (red)',
      messageId: '<dlv_1@tocsin.example>',
      headers: { 'List-Unsubscribe': '<https://tocsin.example/unsubscribe/sub_dlv_1>' },
    });
  });

  it('reads the scheme once for the rows of one batch, and again for another batch', async () => {
    await Promise.all([channel.send(emailDelivery('dlv_1')), channel.send(emailDelivery('dlv_2'))]);
    const nextBatch = { ...emailDelivery('dlv_3'), payload: levelChangedEvent('evt_1') };
    await channel.send(nextBatch);

    expect(schemeReads).toEqual(['kz-terror', 'kz-terror']);
  });

  it('answers a refused address as a permanent failure and a busy server as one to retry', async () => {
    mailAnswer = async () => {
      throw new MailError('the server refused the recipient (550)', 550);
    };
    expect(await channel.send(emailDelivery('dlv_1'))).toMatchObject({
      ok: false,
      statusCode: 550,
      permanent: true,
      error: 'the server refused the recipient (550)',
    });
    mailAnswer = async () => {
      throw new MailError('try again later (451)', 451);
    };
    expect(await channel.send(emailDelivery('dlv_2'))).toMatchObject({
      ok: false,
      statusCode: 451,
      permanent: false,
    });
  });

  it('turns any other error into a failed attempt rather than throwing', async () => {
    schemeAnswer = async () => {
      throw new Error('Failed query: select * from schemes\nparams: kz-terror');
    };

    expect(await channel.send(emailDelivery('dlv_1'))).toMatchObject({
      ok: false,
      statusCode: null,
      permanent: false,
      error: 'Failed query: select * from schemes',
    });
    expect(sent).toEqual([]);
  });
});

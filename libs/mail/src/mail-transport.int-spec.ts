import type { AppConfig } from '@tocsin/config';
import type { Transporter } from 'nodemailer';
import { SMTPServer, SMTPServerSession } from 'smtp-server';
import { MailTransport, SMTP_POOL_CONNECTIONS } from './mail-transport';

/** A local SMTP server that keeps what it receives and whether the session was encrypted. */
async function startServer(options: { secure: boolean; disableStartTls?: boolean }) {
  const received: { secure: boolean; data: string }[] = [];
  let connections = 0;
  const server = new SMTPServer({
    secure: options.secure,
    disabledCommands: options.disableStartTls ? ['STARTTLS'] : [],
    authOptional: true,
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({ secure: session.secure, data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    port,
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const transportFor = (smtpUrl: string) =>
  new MailTransport({
    smtpUrl,
    mailFrom: 'Tocsin <alerts@tocsin.example>',
    dataDir: '/nonexistent',
  } as AppConfig);

// The transport opens its own sockets (for TCP_NODELAY); nodemailer must still do TLS on them.
describe('MailTransport over SMTP', () => {
  // smtp-server's built-in certificate is self-signed: these tests check encryption, not trust.
  const insecureTls = 'tls.rejectUnauthorized=false';

  it.each([
    ['smtps:// (TLS from the first byte)', { secure: true }, 'smtps', `${insecureTls}`, true],
    ['smtp:// with STARTTLS required', { secure: false }, 'smtp', `${insecureTls}&requireTLS=true`, true],
    ['smtp:// to a server without STARTTLS', { secure: false, disableStartTls: true }, 'smtp', '', false],
  ])('sends over %s', async (_, serverOptions, scheme, query, encrypted) => {
    const server = await startServer(serverOptions);
    const transport = transportFor(`${scheme}://127.0.0.1:${server.port}?${query}`);
    try {
      const sent = await transport.send({
        to: 'reader@ngo.example',
        subject: 'Almaty — terrorism threat level CRITICAL (red)',
        text: 'Repeat attacks are possible.',
        html: '<p>Repeat attacks are possible.</p>',
        messageId: '<dlv_1@tocsin.example>',
      });
      expect(sent).toEqual({ messageId: '<dlv_1@tocsin.example>', via: 'smtp' });
      expect(server.received).toHaveLength(1);
      expect(server.received[0].secure).toBe(encrypted);
      expect(server.received[0].data).toContain('Subject: =?UTF-8?');
      expect(server.received[0].data).toContain('Repeat attacks are possible.');
    } finally {
      transport.onApplicationShutdown();
      await server.close();
    }
  });

  it.each([
    ['SMTP_POOL_CONNECTIONS connections by default', '', SMTP_POOL_CONNECTIONS],
    ['as many connections as SMTP_URL says', '?maxConnections=3', 3],
  ])('sends a burst over %s', async (_, query, expected) => {
    const server = await startServer({ secure: false, disableStartTls: true });
    const transport = transportFor(`smtp://127.0.0.1:${server.port}${query}`);
    try {
      const burst = Array.from({ length: 2 * SMTP_POOL_CONNECTIONS }, (_unused, i) =>
        transport.send({ to: `reader${i}@ngo.example`, subject: 's', text: 't', html: '<p>t</p>' }),
      );
      await Promise.all(burst);
      expect(server.received).toHaveLength(burst.length);
      expect(server.connections()).toBe(expected);
    } finally {
      transport.onApplicationShutdown();
      await server.close();
    }
  });

  it('hands nodemailer twice the pool’s connections at once, the rest as those finish', async () => {
    const server = await startServer({ secure: false, disableStartTls: true });
    const transport = transportFor(`smtp://127.0.0.1:${server.port}?maxConnections=3`);
    // nodemailer composes what it is handed: the count of messages handed over and not yet sent.
    const { transporter } = transport as unknown as { transporter: Transporter };
    const sendMail = transporter.sendMail.bind(transporter);
    let handedOver = 0;
    let most = 0;
    transporter.sendMail = (async (mail: Parameters<typeof sendMail>[0]) => {
      most = Math.max(most, ++handedOver);
      try {
        return await sendMail(mail);
      } finally {
        handedOver -= 1;
      }
    }) as typeof transporter.sendMail;
    try {
      const burst = Array.from({ length: 40 }, (_unused, i) =>
        transport.send({ to: `reader${i}@ngo.example`, subject: 's', text: 't', html: '<p>t</p>' }),
      );
      await Promise.all(burst);
      expect(server.received).toHaveLength(40);
      expect(most).toBe(6);
    } finally {
      transport.onApplicationShutdown();
      await server.close();
    }
  });

  it('fails with a transient MailError when nothing listens', async () => {
    const server = await startServer({ secure: false });
    await server.close();
    const transport = transportFor(`smtp://127.0.0.1:${server.port}`);
    try {
      await expect(
        transport.send({ to: 'reader@ngo.example', subject: 's', text: 't', html: '<p>t</p>' }),
      ).rejects.toMatchObject({ name: 'Error', transient: true, message: /ECONNREFUSED/ });
    } finally {
      transport.onApplicationShutdown();
    }
  });
});

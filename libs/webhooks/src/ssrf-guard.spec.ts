import { LookupAddress } from 'node:dns';
import { guardedLookup, resolveWebhookHost, WebhookHostUnresolved, WebhookTargetRefused } from './ssrf-guard';

const dns =
  (answers: Record<string, string[]>) =>
  async (host: string): Promise<LookupAddress[]> => {
    const addresses = answers[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const resolve = dns({
  'public.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'loopback.test': ['127.0.0.1'],
  'mixed.test': ['93.184.216.34', '10.0.0.7'],
  'metadata.test': ['169.254.169.254'],
  'mapped.test': ['::ffff:192.168.0.1'],
});

describe('resolveWebhookHost', () => {
  const strict = { allowPrivate: false, resolve };

  it('answers every address of a host that resolves to public ones only', async () => {
    expect(await resolveWebhookHost('public.test', strict)).toHaveLength(2);
  });

  it.each([
    [
      'loopback.test',
      'loopback.test resolves to 127.0.0.1, a loopback address; only public addresses are allowed',
    ],
    ['mixed.test', 'mixed.test resolves to 10.0.0.7, a private address; only public addresses are allowed'],
    ['metadata.test', 'metadata.test resolves to 169.254.169.254, a cloud metadata address'],
    ['mapped.test', 'mapped.test resolves to ::ffff:192.168.0.1, a private address'],
    ['10.1.2.3', '10.1.2.3, a private address is not allowed'],
    ['::1', '::1, a loopback address is not allowed'],
  ])('refuses %s', async (host, reason) => {
    const refusal = resolveWebhookHost(host, strict);
    await expect(refusal).rejects.toThrow(WebhookTargetRefused);
    await expect(refusal).rejects.toThrow(reason);
  });

  it('takes an IP address as it is, without asking DNS', async () => {
    const never = jest.fn();
    expect(await resolveWebhookHost('8.8.8.8', { allowPrivate: false, resolve: never })).toEqual([
      { address: '8.8.8.8', family: 4 },
    ]);
    expect(never).not.toHaveBeenCalled();
  });

  it('says when a host does not resolve', async () => {
    await expect(resolveWebhookHost('nowhere.test', strict)).rejects.toThrow(
      new WebhookHostUnresolved('nowhere.test', 'ENOTFOUND'),
    );
  });

  it('lets private addresses through with WEBHOOK_ALLOW_PRIVATE', async () => {
    expect(await resolveWebhookHost('mixed.test', { allowPrivate: true, resolve })).toHaveLength(2);
    expect(await resolveWebhookHost('127.0.0.1', { allowPrivate: true, resolve })).toHaveLength(1);
  });
});

describe('guardedLookup', () => {
  const lookup = guardedLookup({ allowPrivate: false, resolve });
  const call = (host: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((done) =>
      lookup(host, options, (error, address, family) => done({ error, address, family })),
    );

  it('answers all checked addresses when asked for all, as net does when it races IPv4 and IPv6', async () => {
    const { error, address } = await call('public.test', { all: true });
    expect(error).toBeNull();
    expect(address).toHaveLength(2);
  });

  it('answers one address of the family asked for', async () => {
    expect(await call('public.test', { family: 6 })).toEqual({
      error: null,
      address: '2606:2800:220:1:248:1893:25c8:1946',
      family: 6,
    });
  });

  it('fails the connection when any address is refused', async () => {
    const { error } = await call('mixed.test', { all: true });
    expect(error).toBeInstanceOf(WebhookTargetRefused);
  });
});

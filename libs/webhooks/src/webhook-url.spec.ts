import {
  AddressKind,
  CheckedUrls,
  checkWebhookUrl,
  classifyAddress,
  describeAddress,
  redactWebhookUrl,
} from './webhook-url';

describe('classifyAddress', () => {
  it.each<[string, AddressKind]>([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['168.63.129.16', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.175.48.1', 'special-purpose'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:80b::200e', 'public'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'reserved'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['64:ff9b:1::1', 'special-purpose'],
    ['2002:a00:1::1', 'private'],
    ['2002:7f00:1::1', 'loopback'],
    ['2002:808:808::1', 'public'],
    ['2001:0:808:808::f5ff:fffe', 'private'],
    ['2001:0:a00:1::f7f7:f7f7', 'private'],
    ['2001:0:808:808::f7f7:f7f7', 'public'],
    ['2001:db8::1', 'reserved'],
    ['3fff::1', 'reserved'],
    ['100::1', 'special-purpose'],
    ['4000::1', 'reserved'],
    ['127.1', 'reserved'],
    ['0177.0.0.1', 'reserved'],
    ['example.com', 'reserved'],
    ['', 'reserved'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it('names an address with its kind and the right article', () => {
    expect(describeAddress('127.0.0.1')).toBe('127.0.0.1, a loopback address');
    expect(describeAddress('0.0.0.0')).toBe('0.0.0.0, an unspecified address');
    expect(describeAddress('fd12::1')).toBe('fd12::1, a unique-local address');
  });
});

describe('checkWebhookUrl', () => {
  const strict = { allowPrivate: false };
  const lenient = { allowPrivate: true };

  it.each([
    'https://example.com/hook',
    'https://example.com:8443/tocsin?token=abc',
    'https://alerts.example.org./x',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
  ])('accepts %s', (url) => {
    expect(checkWebhookUrl(url, strict)).toEqual({ ok: true, url: new URL(url) });
  });

  it.each([
    ['http://example.com/hook', /must use https/],
    ['ftp://example.com/hook', /must use https, not ftp/],
    ['javascript:alert(1)', /must use https/],
    ['example.com/hook', /not an absolute URL/],
    ['https://', /not an absolute URL/],
    ['https://user:pw@example.com/', /user name or password/],
    ['https://user@example.com/', /user name or password/],
    ['https://:pw@example.com/', /user name or password/],
    ['https://example.com/hook#part', /fragment/],
    ['https://example.com/hook#', /fragment/],
    ['https://localhost/', /localhost, a loopback address; only public addresses are allowed/],
    ['https://LOCALHOST./', /loopback/],
    ['https://api.localhost/', /loopback/],
    ['https://127.0.0.1/', /127\.0\.0\.1, a loopback address/],
    ['https://127.1/', /127\.0\.0\.1, a loopback address/],
    ['https://0x7f000001/', /127\.0\.0\.1, a loopback address/],
    ['https://2130706433/', /127\.0\.0\.1, a loopback address/],
    ['https://10.0.0.1/', /10\.0\.0\.1, a private address/],
    ['https://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://[::1]/', /::1, a loopback address/],
    ['https://[::ffff:10.0.0.1]/', /private/],
    ['https://[fd00:ec2::254]/', /cloud metadata/],
    ['https://100.64.1.1/', /carrier-grade NAT/],
    [`https://example.com/${'a'.repeat(2000)}`, /longer than 2000/],
  ])('refuses %s', (url, reason) => {
    const check = checkWebhookUrl(url, strict);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it('allows http and private targets only with WEBHOOK_ALLOW_PRIVATE', () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'https://localhost/', 'https://10.0.0.1/'])
      expect(checkWebhookUrl(url, lenient).ok).toBe(true);
  });

  it('still refuses credentials, fragments and other schemes with WEBHOOK_ALLOW_PRIVATE', () => {
    expect(checkWebhookUrl('http://a:b@127.0.0.1/', lenient).ok).toBe(false);
    expect(checkWebhookUrl('http://127.0.0.1/#x', lenient).ok).toBe(false);
    expect(checkWebhookUrl('file:///etc/passwd', lenient).ok).toBe(false);
  });
});

describe('CheckedUrls', () => {
  it('gives the verdict checkWebhookUrl gives, for good and bad URLs', () => {
    const urls = new CheckedUrls({ allowPrivate: false });
    for (const input of ['https://hooks.example.com/a', 'http://hooks.example.com/a', 'https://127.0.0.1/']) {
      expect(urls.check(input)).toEqual(checkWebhookUrl(input, { allowPrivate: false }));
      expect(urls.check(input)).toEqual(checkWebhookUrl(input, { allowPrivate: false }));
    }
  });

  it('remembers a verdict and starts afresh when full', () => {
    const urls = new CheckedUrls({ allowPrivate: false }, 2);
    const first = urls.check('https://a.example.com/');
    expect(urls.check('https://a.example.com/')).toBe(first);
    urls.check('https://b.example.com/');
    urls.check('https://c.example.com/');
    expect(urls.check('https://a.example.com/')).not.toBe(first);
    expect(urls.check('https://a.example.com/')).toEqual(first);
  });
});

describe('redactWebhookUrl', () => {
  it('hides a Telegram bot token in the path, keeping the bot id', () => {
    expect(redactWebhookUrl('https://api.telegram.org/bot123456:AAE-x_Yz9/sendMessage')).toBe(
      'https://api.telegram.org/bot123456:[redacted]/sendMessage',
    );
    expect(redactWebhookUrl('http://127.0.0.1:8080/bot42:secret?x=1')).toBe(
      'http://127.0.0.1:8080/bot42:[redacted]?x=1',
    );
  });

  it('leaves every other URL as it is', () => {
    for (const url of [
      'https://hooks.example.org/bots/1',
      'https://example.org/robot1:x',
      'https://example.org/hook',
    ])
      expect(redactWebhookUrl(url)).toBe(url);
  });
});

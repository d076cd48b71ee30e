// What a webhook may point at. Pure rules: the URL's shape, and whether an IP address is one the public
// internet could route to. The SSRF guard applies the address rule to every address a host resolves to.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/** Why an address is not public, in words that fit "…, a ___ address". `public` = fine to call. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud metadata'
  | 'unique-local'
  | 'site-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'carrier-grade NAT'
  | 'reserved'
  | 'special-purpose';

/**
 * Instance-metadata services. Most already fall in a refused range (169.254/16, fc00::/7, 100.64/10); Azure's
 * wire server is a public address that answers only from inside Azure, so it is listed by itself.
 */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '168.63.129.16',
  '100.100.100.200',
  'fd00:ec2::254',
]);

const IPV4_KINDS: Record<string, AddressKind> = {
  unicast: 'public',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
};

const IPV6_KINDS: Record<string, AddressKind> = {
  unicast: 'public',
  unspecified: 'unspecified',
  linkLocal: 'link-local',
  multicast: 'multicast',
  loopback: 'loopback',
  uniqueLocal: 'unique-local',
  deprecatedSiteLocal: 'site-local',
  reserved: 'reserved',
};

/** What kind of address `ip` is; anything that does not parse as an IP address counts as reserved. */
export function classifyAddress(ip: string): AddressKind {
  // A zone (`fe80::1%eth0`) only ever qualifies a link-local address; the range is what matters.
  const bare = ip.replace(/%.*$/, '');
  // Resolvers and URL parsers give dotted quads; shorthand like `127.1` or octal is not taken on trust.
  if (!ipaddr.IPv6.isValid(bare) && !ipaddr.IPv4.isValidFourPartDecimal(bare)) return 'reserved';
  const address = ipaddr.parse(bare);
  return address.kind() === 'ipv4' ? classifyIPv4(address as IPv4) : classifyIPv6(address as IPv6);
}

/** "127.0.0.1, a loopback address": how a refusal names an address. */
export function describeAddress(ip: string, kind: AddressKind = classifyAddress(ip)): string {
  const article = /^[aeio]/.test(kind) || kind === 'unspecified' ? 'an' : 'a';
  return `${ip}, ${article} ${kind} address`;
}

function classifyIPv4(address: IPv4): AddressKind {
  if (METADATA_ADDRESSES.has(address.toString())) return 'cloud metadata';
  // Anycast ranges such as AS112 and AMT are routable but no webhook receiver lives there.
  return IPV4_KINDS[address.range()] ?? 'special-purpose';
}

function classifyIPv6(address: IPv6): AddressKind {
  if (METADATA_ADDRESSES.has(address.toRFC5952String())) return 'cloud metadata';
  const range = address.range();
  const parts = address.parts;
  // Forms that carry an IPv4 address reach that address, so they are as public as it is.
  if (range === 'ipv4Mapped' || range === 'rfc6145') return classifyIPv4(ipv4From(parts[6], parts[7]));
  if (range === 'rfc6052') {
    // 64:ff9b::/96 is well-known NAT64 to the embedded address; 64:ff9b:1::/48 is for local networks.
    if (parts[2] === 1 && parts[1] === 0xff9b) return 'special-purpose';
    return classifyIPv4(ipv4From(parts[6], parts[7]));
  }
  if (range === '6to4') return classifyIPv4(ipv4From(parts[1], parts[2]));
  if (range === 'teredo') {
    const server = classifyIPv4(ipv4From(parts[2], parts[3]));
    // The client's address is stored inverted (RFC 4380).
    const client = classifyIPv4(ipv4From(parts[6] ^ 0xffff, parts[7] ^ 0xffff));
    return server !== 'public' ? server : client;
  }
  const kind = IPV6_KINDS[range] ?? 'special-purpose';
  // Only 2000::/3 is allocated for global unicast; the rest of "unicast" (e.g. ::/8 compatibility forms) is not.
  if (kind === 'public' && (parts[0] & 0xe000) !== 0x2000) return 'reserved';
  return kind;
}

function ipv4From(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

export interface WebhookUrlRules {
  /** WEBHOOK_ALLOW_PRIVATE: http and loopback or private targets are allowed (development, tests). */
  allowPrivate: boolean;
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Whether `input` may be a webhook's target: an absolute https URL (http only where private targets are
 * allowed) without credentials or fragment. A host given as an IP address must be public; a host name is
 * checked when it resolves (see ssrf-guard.ts), except `localhost`, which never names anything else.
 */
export function checkWebhookUrl(input: string, rules: WebhookUrlRules): WebhookUrlCheck {
  const refuse = (reason: string): WebhookUrlCheck => ({ ok: false, reason });
  if (input.length > MAX_WEBHOOK_URL_LENGTH)
    return refuse(`is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return refuse('is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return refuse(`must use https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.protocol === 'http:' && !rules.allowPrivate)
    return refuse('must use https; plain http is allowed only with WEBHOOK_ALLOW_PRIVATE');
  // Credentials in a URL end up in logs and in the UI; the signature is how a receiver authenticates us.
  if (url.username || url.password) return refuse('must not contain a user name or password');
  if (input.includes('#')) return refuse('must not contain a fragment (#…): it is never sent');
  if (!url.hostname) return refuse('has no host');
  if (rules.allowPrivate) return { ok: true, url };

  const host = hostOf(url);
  if (isIP(host)) {
    const kind = classifyAddress(host);
    if (kind !== 'public') return refuse(`points to ${describeAddress(host, kind)}; ${PUBLIC_ONLY}`);
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    return refuse(`points to ${host}, a loopback address; ${PUBLIC_ONLY}`);
  }
  return { ok: true, url };
}

export const PUBLIC_ONLY = 'only public addresses are allowed';

/** The host to resolve or connect to: without the brackets of an IPv6 literal or a trailing dot. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/**
 * `checkWebhookUrl` for one set of rules, remembering the verdicts of the URLs it has seen (a fan-out checks
 * each endpoint's URL at every send). Bounded: when full it starts afresh.
 */
export class CheckedUrls {
  private readonly verdicts = new Map<string, WebhookUrlCheck>();

  constructor(
    private readonly rules: WebhookUrlRules,
    private readonly capacity = 10_000,
  ) {}

  check(input: string): WebhookUrlCheck {
    let verdict = this.verdicts.get(input);
    if (verdict === undefined) {
      verdict = checkWebhookUrl(input, this.rules);
      if (this.verdicts.size >= this.capacity) this.verdicts.clear();
      this.verdicts.set(input, verdict);
    }
    return verdict;
  }
}

/** A Telegram Bot API path: `/bot<id>:<secret>/…`; the bot's id is public, the part after the colon is not. */
const TELEGRAM_BOT_TOKEN = /\/bot(\d+):[^/?#]+/;

/**
 * The URL as a log, a delivery error or the audit log may show it: a Telegram bot token in the path (the
 * Bot API has no other place for it) is redacted, keeping the bot's id to tell bots apart.
 */
export function redactWebhookUrl(url: string): string {
  return url.replace(TELEGRAM_BOT_TOKEN, '/bot$1:[redacted]');
}

// The SSRF guard. Every connection to a webhook goes through an undici Agent whose connector resolves the
// host itself, refuses when any address is not public, and connects to the address it checked: the check
// happens at connect time on every new connection, so a DNS answer that changes after creation (rebinding)
// cannot sneak a private address in.
import { LookupAddress, promises as dns } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { classifyAddress, describeAddress, PUBLIC_ONLY } from './webhook-url';

/** A webhook target that resolves to, or is, an address this installation does not call. */
export class WebhookTargetRefused extends Error {
  override readonly name = 'WebhookTargetRefused';
}

/** A host that has no address (or whose resolver failed), with the resolver's code. */
export class WebhookHostUnresolved extends Error {
  override readonly name = 'WebhookHostUnresolved';
  constructor(
    readonly host: string,
    readonly code: string,
  ) {
    super(`${host} does not resolve (${code})`);
  }
}

/** Every address a host name resolves to; a port so tests can stand in for DNS. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const resolveWithSystem: ResolveHost = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

export interface GuardOptions {
  /** WEBHOOK_ALLOW_PRIVATE: private and loopback addresses are allowed. */
  allowPrivate: boolean;
  resolve?: ResolveHost;
}

/**
 * The addresses `host` may be reached at: itself when it is an IP address, else what it resolves to.
 * Throws WebhookTargetRefused when any of them is not public (unless private ones are allowed), because
 * the connection could be made to any of them; WebhookHostUnresolved when it does not resolve.
 */
export async function resolveWebhookHost(host: string, options: GuardOptions): Promise<LookupAddress[]> {
  const literal = isIP(host);
  if (literal) {
    const refused = options.allowPrivate ? null : refusalOfAddress(host);
    if (refused) throw refused;
    return [{ address: host, family: literal }];
  }
  let addresses: LookupAddress[];
  try {
    addresses = await (options.resolve ?? resolveWithSystem)(host);
  } catch (error) {
    throw new WebhookHostUnresolved(host, (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND');
  }
  if (addresses.length === 0) throw new WebhookHostUnresolved(host, 'ENOTFOUND');
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind !== 'public')
        throw new WebhookTargetRefused(
          `${host} resolves to ${describeAddress(address, kind)}; ${PUBLIC_ONLY}`,
        );
    }
  }
  return addresses;
}

function refusalOfAddress(ip: string): WebhookTargetRefused | null {
  const kind = classifyAddress(ip);
  return kind === 'public'
    ? null
    : new WebhookTargetRefused(`${describeAddress(ip, kind)} is not allowed; ${PUBLIC_ONLY}`);
}

/** A `net.connect` lookup that answers only with addresses that passed the guard. */
export function guardedLookup(options: GuardOptions): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveWebhookHost(hostname, options).then(
      (resolved) => {
        const family = lookupOptions.family;
        const wanted = family === 4 || family === 6 ? resolved.filter((a) => a.family === family) : resolved;
        if (wanted.length === 0) {
          callback(new WebhookHostUnresolved(hostname, 'ENOTFOUND'), '', 0);
        } else if (lookupOptions.all) {
          callback(null, wanted);
        } else {
          callback(null, wanted[0].address, wanted[0].family);
        }
      },
      (error: Error) => callback(error, '', 0),
    );
  };
}

/**
 * Sockets to one origin at most; more requests to it wait in its queue. A fan-out has hundreds of sends in
 * flight, and where many endpoints share a host (a chat service, one receiver in front of many), a socket
 * each costs more client CPU per request than it gains (measured: 100 sockets send 12,000 POSTs/s here, 800
 * sockets 9,900/s; bench/webhook-fanout.mjs prints the sweep).
 */
export const CONNECTIONS_PER_ORIGIN = 100;

/**
 * The dispatcher for webhook requests: keep-alive connections, each opened only to a checked address.
 * A host given as an IP address never reaches a lookup, so the connector checks those before connecting.
 */
export function createGuardedAgent(options: GuardOptions & { timeoutMs: number }): Agent {
  const connect = buildConnector({ timeout: options.timeoutMs, lookup: guardedLookup(options) });
  return new Agent({
    connections: CONNECTIONS_PER_ORIGIN,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: (connectOptions, callback) => {
      const refused =
        isIP(connectOptions.hostname) && !options.allowPrivate
          ? refusalOfAddress(connectOptions.hostname)
          : null;
      if (refused) callback(refused, null);
      else connect(connectOptions, callback);
    },
  });
}

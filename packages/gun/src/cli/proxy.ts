import { lookup } from 'node:dns/promises';
import type { StreamRef } from '@gunhttp/core';
import type { Connection } from '../connection.js';
import type { GunOptions, ProtocolOption, SocksOpts } from '../options.js';
import { ExitCodes } from './exit-codes.js';
import { CliFailure } from './failure.js';

/**
 * `--proxy URL` (repeatable, first hop first), as curl spells proxies: `http://` and `https://`
 * proxies take a CONNECT (RFC 9110 §9.3.6), `socks5h://` a SOCKS5 request naming the host
 * (RFC 1928 §5, ATYP 03), `socks5://` one with the address resolved here, as curl does;
 * `user:pass@` gives Basic proxy credentials (RFC 7617) or RFC 1929 username/password. With
 * `http2` (`--proxy-http2`) an HTTP proxy is spoken to in HTTP/2 and each tunnel is one of its
 * streams (RFC 9113 §8.5): offered by ALPN to an https:// proxy (which may still pick HTTP/1.1),
 * with prior knowledge (h2c) to an http:// one.
 */
export interface ProxyHop {
  readonly kind: 'http' | 'socks5';
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly http2: boolean;
  /** socks5h: the proxy resolves the next host's name. */
  readonly remoteDns: boolean;
  readonly username?: string;
  readonly password?: string;
}

/** A point of the chain: a proxy, or the origin at its end. */
type Hop = ProxyHop | { readonly kind: 'origin'; readonly host: string; readonly port: number; readonly tls: boolean };

const SCHEMES: Readonly<Record<string, Pick<ProxyHop, 'kind' | 'tls' | 'remoteDns'> & { readonly port: number } | undefined>> = {
  'http:': { kind: 'http', tls: false, remoteDns: true, port: 1080 },
  'https:': { kind: 'http', tls: true, remoteDns: true, port: 443 },
  'socks5:': { kind: 'socks5', tls: false, remoteDns: false, port: 1080 },
  'socks5h:': { kind: 'socks5', tls: false, remoteDns: true, port: 1080 },
};

/** Parses one `--proxy` URL; a missing port is 1080 (443 for https://), as curl. */
export function parseProxy(url: string, http2 = false): ProxyHop {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CliFailure(ExitCodes.BAD_URL, `gun: malformed proxy URL: ${url}`);
  }
  const scheme = SCHEMES[u.protocol];
  if (scheme === undefined) throw new CliFailure(ExitCodes.BAD_URL, `gun: unsupported proxy scheme ${u.protocol.slice(0, -1)} (http, https, socks5 and socks5h are)`);
  if (u.hostname === '') throw new CliFailure(ExitCodes.BAD_URL, `gun: no host in proxy URL: ${url}`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  const credentials = u.username === '' ? {} : { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  return { kind: scheme.kind, host, port: u.port === '' ? scheme.port : Number(u.port), tls: scheme.tls, http2: http2 && scheme.kind === 'http', remoteDns: scheme.remoteDns, ...credentials };
}

/** What the CLI needs to open and tunnel: the origin's protocols and the TLS options of every hop. */
export interface ChainSettings {
  readonly origin: { readonly host: string; readonly port: number; readonly tls: boolean };
  readonly originProtocols: readonly ProtocolOption[];
  readonly tlsOpts: NonNullable<GunOptions['tlsOpts']>;
}

/** Where to open the connection, and the options that make its first hop speak to `proxies[0]`. */
export async function firstHop(proxies: readonly ProxyHop[], s: ChainSettings): Promise<{ host: string; port: number; options: GunOptions }> {
  const first = proxies[0]!;
  const protocols = await protocolsTowards(first, chain(proxies, s), 0, s);
  return { host: first.host, port: first.port, options: { transport: first.tls ? 'tls' : 'tcp', protocols } };
}

function chain(proxies: readonly ProxyHop[], s: ChainSettings): Hop[] {
  return [...proxies, { kind: 'origin', ...s.origin }];
}

/** The protocols to speak with `chain[i]` once reached: SOCKS (aimed at the next hop), HTTP for a CONNECT proxy, the origin's. */
async function protocolsTowards(hop: Hop, hops: readonly Hop[], i: number, s: ChainSettings): Promise<ProtocolOption[]> {
  if (hop.kind === 'origin') return [...s.originProtocols];
  if (hop.kind === 'http') return hop.http2 ? (hop.tls ? ['http2', 'http'] : ['http2']) : ['http'];
  const next = hops[i + 1]!;
  const host = hop.remoteDns ? next.host : (await lookup(next.host)).address;
  const auth = hop.username === undefined ? ['none' as const] : [{ username: hop.username, password: hop.password ?? '' }];
  const socks: SocksOpts = { host, port: next.port, auth, protocols: await protocolsTowards(next, hops, i + 1, s), transport: next.tls ? 'tls' : 'tcp', tlsOpts: s.tlsOpts };
  return [{ socks }];
}

/**
 * Runs the chain on `conn` (opened with {@link firstHop}'s options): a CONNECT through each HTTP
 * proxy, in order, waiting for each tunnel; SOCKS hops run by themselves (their `tunnelUp` has no
 * ref, or the ref of the HTTP/2 tunnel they run in). Resolves with the tunnel requests must name
 * (the last CONNECT's ref), if any.
 *
 * @throws CliFailure exit 56 when a proxy answers a CONNECT with a non-2xx status, as curl.
 */
export async function runChain(conn: Connection, proxies: readonly ProxyHop[], s: ChainSettings, timeout: number): Promise<StreamRef | undefined> {
  const hops = chain(proxies, s);
  let tunnel: StreamRef | undefined;
  for (let i = 0; i < proxies.length; i++) {
    const hop = proxies[i]!;
    const next = hops[i + 1]!;
    if (hop.kind === 'socks5') {
      const m = await conn.owner.receive((x) => (x.type === 'tunnelUp' && (x.streamRef === undefined || x.streamRef === tunnel)) || x.type === 'down', { timeout });
      if (m.type === 'down') throw m.reason instanceof Error ? m.reason : new CliFailure(ExitCodes.RECV, `gun: the SOCKS5 proxy ${hop.host}:${hop.port} closed the connection`);
      continue;
    }
    const credentials = hop.username === undefined ? {} : { username: hop.username, password: hop.password ?? '' };
    const protocols = await protocolsTowards(next, hops, i + 1, s);
    const ref = conn.connect({ host: next.host, port: next.port, transport: next.tls ? 'tls' : 'tcp', tlsOpts: s.tlsOpts, protocols, ...credentials }, [], tunnel === undefined ? {} : { tunnel });
    const res = await awaitStream(conn, ref, timeout);
    if (res.type !== 'response' || res.status < 200 || res.status > 299) {
      throw new CliFailure(ExitCodes.RECV, `gun: the proxy ${hop.host}:${hop.port} refused the tunnel to ${next.host}:${next.port}${res.type === 'response' ? ` (status ${res.status})` : ''}`);
    }
    await awaitStream(conn, ref, timeout);
    tunnel = ref;
  }
  return tunnel;
}

/** The stream's next message, past the `notify` messages (HTTP/2 settings under `--trace`) that `await` also returns. */
async function awaitStream(conn: Connection, ref: StreamRef, timeout: number): ReturnType<Connection['await']> {
  for (;;) {
    const m = await conn.await(ref, timeout);
    if (m.type !== 'notify') return m;
  }
}

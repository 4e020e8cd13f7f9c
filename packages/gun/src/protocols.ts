import { isIP } from 'node:net';
import type { ConnectionOptions as TlsConnectOptions } from 'node:tls';
import type { Socks5Auth } from '@gunhttp/socks';
import type { HttpOpts } from './http-options.js';
import { validateHttpOpts } from './http-options.js';
import { resolveHttp2Opts } from './http2-options.js';
import type { Http2Opts, ResolvedHttp2Opts } from './http2-options.js';
import { checkKeys, fail, isObject, isTimeout } from './option-checks.js';

/**
 * A SOCKS5 hop (Gun's `socks_opts()`): the SOCKS server is the peer the connection (or the
 * tunnel) reached; it is asked to connect to `host`:`port` (RFC 1928 §4), offering `auth` in
 * order (default `['none']`; `{ username, password }` is RFC 1929). What follows is described as
 * for a CONNECT destination: `protocols` (default `['http2', 'http']` over TLS, chosen by ALPN;
 * `['http']` over TCP), `transport` (`tls` runs TLS to the destination through the SOCKS
 * tunnel), `tlsOpts`, `tlsHandshakeTimeout` (ms, default Infinity).
 */
export interface SocksOpts {
  readonly host: string;
  readonly port: number;
  readonly auth?: readonly Socks5Auth[];
  readonly protocols?: readonly ProtocolOption[];
  readonly transport?: 'tcp' | 'tls';
  readonly tlsOpts?: Readonly<TlsConnectOptions>;
  readonly tlsHandshakeTimeout?: number;
}

/**
 * A protocol a connection or tunnel may speak, bare or with its options (Gun's `protocols()`):
 * `http` (HTTP/1.1), `http2`, `raw` (bytes as is; only behind a CONNECT or SOCKS hop, where the
 * tunnel's stream ref carries them), or `{ socks: SocksOpts }` (a SOCKS5 handshake first).
 * Options given here replace `httpOpts` / `http2Opts`.
 */
export type ProtocolOption =
  | 'http' | 'http2' | 'raw'
  | { readonly http: HttpOpts } | { readonly http2: Http2Opts } | { readonly raw: Readonly<Record<string, never>> } | { readonly socks: SocksOpts };

/** A protocol the client speaks once a transport (or a tunnel) is up. */
export type ConnectionProtocol = 'http' | 'http2' | 'raw' | 'socks';

/** `protocols` checked: the names in order of preference and each one's options. */
export interface ProtocolChoice {
  protocols: ConnectionProtocol[];
  httpOpts: HttpOpts;
  http2Opts: ResolvedHttp2Opts;
  socksOpts: SocksOpts | undefined;
}

const NAMES: readonly ConnectionProtocol[] = ['http', 'http2', 'raw', 'socks'];
const EXPECTED = "a non-empty list of 'http', 'http2', 'raw', { http: httpOpts }, { http2: http2Opts } or { socks: socksOpts }";
const SOCKS_KEYS = ['host', 'port', 'auth', 'protocols', 'transport', 'tlsOpts', 'tlsHandshakeTimeout'] as const;

/**
 * Gun's `protocols`: defaults per transport (`['http2', 'http']` over TLS, `['http']` over TCP),
 * exactly one entry over TCP (no ALPN to choose), each protocol once, per-protocol options
 * checked. `raw` is refused where `allowRaw` is false (a connection's own protocols: raw data
 * needs the stream ref of a tunnel). Throws `GUN_ERR_INVALID_OPTION` naming the entry.
 */
export function validateProtocols(value: unknown, transport: 'tcp' | 'tls', base: Omit<ProtocolChoice, 'protocols' | 'socksOpts'>, path: string, allowRaw: boolean): ProtocolChoice {
  const choice: ProtocolChoice = { protocols: [], socksOpts: undefined, ...base };
  if (value === undefined) {
    choice.protocols = transport === 'tls' ? ['http2', 'http'] : ['http'];
    return choice;
  }
  if (!Array.isArray(value) || value.length === 0) fail(path, EXPECTED);
  if (transport === 'tcp' && value.length !== 1) fail(path, 'exactly one protocol over TCP (there is no ALPN to choose)');
  value.forEach((p: unknown, i: number) => {
    const at = `${path}[${i}]`;
    const name = typeof p === 'string' && p !== 'socks' ? p : isObject(p) && Object.keys(p).length === 1 ? Object.keys(p)[0] : undefined;
    if (!NAMES.includes(name as ConnectionProtocol)) return fail(at, EXPECTED.replace('a non-empty list of ', 'one of '));
    const protocol = name as ConnectionProtocol;
    if (protocol === 'raw' && !allowRaw) fail(at, "a protocol other than 'raw' (raw is offered behind a CONNECT or SOCKS hop)");
    if (choice.protocols.includes(protocol)) fail(at, 'each protocol once');
    choice.protocols.push(protocol);
    if (typeof p === 'string') return;
    const given = (p as Record<string, unknown>)[protocol];
    if (protocol === 'http') choice.httpOpts = validateHttpOpts(given, `${at}.http`);
    else if (protocol === 'http2') choice.http2Opts = resolveHttp2Opts(given, `${at}.http2`);
    else if (protocol === 'socks') choice.socksOpts = validateSocksOpts(given, `${at}.socks`);
    else if (!isObject(given) || Object.keys(given).length > 0) fail(`${at}.raw`, 'an empty object');
  });
  return choice;
}

/** Checks a host and port pair as CONNECT destinations and SOCKS requests take them. */
export function checkHostPort(value: Record<string, unknown>, path: string): void {
  if (typeof value.host !== 'string' || value.host === '') fail(`${path}.host`, 'a non-empty string');
  const port = value.port;
  if (!(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535)) fail(`${path}.port`, 'an integer from 1 to 65535');
}

/** What follows a hop: `protocols`, `transport`, `tlsOpts`, `tlsHandshakeTimeout` (checked). */
export function checkNextHop(value: Record<string, unknown>, path: string): void {
  if (value.transport !== undefined && value.transport !== 'tcp' && value.transport !== 'tls') fail(`${path}.transport`, "'tcp' or 'tls'");
  if (value.tlsOpts !== undefined && !isObject(value.tlsOpts)) fail(`${path}.tlsOpts`, 'an object');
  if (value.tlsHandshakeTimeout !== undefined && !isTimeout(value.tlsHandshakeTimeout)) fail(`${path}.tlsHandshakeTimeout`, 'a non-negative integer (ms) or Infinity');
  if (value.protocols !== undefined) hopChoice(value, path);
}

/**
 * The protocols of what follows a hop (a CONNECT destination, a SOCKS request): by default
 * `['http2', 'http']` over TLS (ALPN chooses) and `['http']` over TCP, as Gun's gun_http and
 * gun_socks; per-protocol options with fresh defaults (the connection's own options do not carry
 * over, as in Gun).
 */
export function hopChoice(value: { readonly protocols?: unknown; readonly transport?: unknown }, path: string): ProtocolChoice {
  const transport = value.transport === 'tls' ? 'tls' : 'tcp';
  return validateProtocols(value.protocols, transport, { httpOpts: {}, http2Opts: resolveHttp2Opts(undefined, `${path}.http2Opts`) }, `${path}.protocols`, true);
}

function validateSocksOpts(value: unknown, path: string): SocksOpts {
  if (!isObject(value)) fail(path, 'an object');
  checkKeys(value, SOCKS_KEYS, path);
  checkHostPort(value, path);
  if (value.auth !== undefined) {
    if (!Array.isArray(value.auth) || value.auth.length === 0) fail(`${path}.auth`, "a non-empty list of 'none' or { username, password }");
    value.auth.forEach((a: unknown, i: number) => {
      const ok = a === 'none' || (isObject(a) && typeof a.username === 'string' && typeof a.password === 'string');
      if (!ok) fail(`${path}.auth[${i}]`, "'none' or { username, password } (strings)");
    });
  }
  checkNextHop(value, path);
  if (isIP(value.host as string) === 0 && (value.host as string).length > 255) fail(`${path}.host`, 'a name of at most 255 octets (RFC 1928 §5)');
  return value as unknown as SocksOpts;
}

import type { ConnectionOptions as TlsConnectOptions } from 'node:tls';
import type { Destination } from '@gunhttp/tunnel';
import { checkHostPort, checkNextHop } from './protocols.js';
import type { ProtocolOption } from './protocols.js';
import { checkKeys, fail, isObject } from './option-checks.js';

/**
 * Where `connect` asks a proxy to open a tunnel (Gun's `connect_destination()`): `host` (a name,
 * an IPv4 literal, or an IPv6 literal with or without brackets) and `port`; `username` and
 * `password` for `proxy-authorization: Basic` (RFC 7617); what to speak inside: `protocols`
 * (default `['http2', 'http']` over TLS, chosen by ALPN, and `['http']` over TCP, as Gun; `http2`,
 * `raw`, `{ socks: ... }` and per-protocol options as `open` takes them), `transport` (`tls` runs TLS to the destination through the tunnel, TLS over TLS
 * behind an HTTPS proxy; default `tcp`), `tlsOpts` for that handshake, `tlsHandshakeTimeout` (ms,
 * default Infinity).
 */
export interface ConnectDestination {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly protocols?: readonly ProtocolOption[];
  readonly transport?: 'tcp' | 'tls';
  readonly tlsOpts?: Readonly<TlsConnectOptions>;
  readonly tlsHandshakeTimeout?: number;
}

const KEYS = ['host', 'port', 'username', 'password', 'protocols', 'transport', 'tlsOpts', 'tlsHandshakeTimeout'] as const;

/** Checks a {@link ConnectDestination}; throws `GUN_ERR_INVALID_OPTION` naming the bad field. */
export function validateDestination(value: unknown): Destination {
  const path = 'destination';
  if (!isObject(value)) fail(path, 'an object');
  checkKeys(value, KEYS, path);
  checkHostPort(value, path);
  for (const k of ['username', 'password'] as const) {
    if (value[k] !== undefined && typeof value[k] !== 'string') fail(`${path}.${k}`, 'a string');
  }
  if (value.password !== undefined && value.username === undefined) fail(`${path}.username`, 'a string when a password is given');
  checkNextHop(value, path);
  return value as unknown as Destination;
}

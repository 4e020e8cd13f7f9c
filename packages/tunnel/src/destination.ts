import type { TransportName } from '@gunhttp/core';
import type { Socks5Auth } from '@gunhttp/socks';

/**
 * Where a CONNECT tunnel leads (Gun's `connect_destination()`, inventory §2.8). After a 2xx the
 * whole connection (HTTP/1.1) speaks to `host`:`port`.
 * - `host`: a name or an IP literal (IPv6 with or without brackets); `port`: 1 to 65535.
 * - `username` / `password`: sent as `proxy-authorization: Basic base64(username:password)`
 *   (RFC 9110 §11.7.2, RFC 7617 §2, UTF-8) unless the CONNECT's headers carry the field; the
 *   password defaults to the empty string.
 * - `protocols`: what to speak inside the tunnel (Gun's `protocols()`: `http`, `http2`, `raw`,
 *   `{ socks: ... }`, each with its options). Opaque to the stack: the client interprets it.
 * - `transport`: `tls` makes the client run a TLS handshake through the tunnel first (TLS over
 *   TLS when the proxy link is TLS); default `tcp`.
 * - `tlsOpts`: the TLS options of that handshake (opaque here); `tlsHandshakeTimeout` in ms.
 */
export interface Destination {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly protocols?: readonly unknown[];
  readonly transport?: TransportName;
  readonly tlsOpts?: unknown;
  readonly tlsHandshakeTimeout?: number;
}

/**
 * A SOCKS5 hop (Gun's `socks_opts()`, inventory §2.5): `host`/`port` are where the SOCKS server
 * should connect (RFC 1928 §4; the address type follows `@gunhttp/socks`'s
 * `encodeDestinationHost`: IPv4 literal X'01', IPv6 literal X'04', a name X'03'); `auth` the
 * methods to offer in order (default `['none']`; username/password per RFC 1929). `protocols`,
 * `transport`, `tlsOpts` and `tlsHandshakeTimeout` describe what follows, as for {@link Destination}.
 */
export interface SocksDestination {
  readonly host: string;
  readonly port: number;
  readonly auth?: readonly Socks5Auth[];
  readonly protocols?: readonly unknown[];
  readonly transport?: TransportName;
  readonly tlsOpts?: unknown;
  readonly tlsHandshakeTimeout?: number;
}

/**
 * The authority-form of a CONNECT request target and its `host` field: `host:port`, with an IPv6
 * literal in brackets (`[::1]:443`), as RFC 9112 §3.2.3 (authority-form = uri-host ":" port,
 * uri-host per RFC 3986 §3.2.2) and RFC 9110 §9.3.6 require. A host already in brackets is kept.
 *
 * Gun differs here: it writes IPv6 destinations without brackets (`::1:443`, inventory §5.12
 * quirk), which is ambiguous and which proxies reject; gunhttp follows the RFC.
 */
export function connectAuthority(host: string, port: number): string {
  const literal = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${literal}:${port}`;
}

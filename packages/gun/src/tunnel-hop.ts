import { GunError } from '@gunhttp/core';
import type { TransportName } from '@gunhttp/core';
import type { TunnelDirective } from '@gunhttp/tunnel';
import { authorityOf } from './authority.js';
import { GunErrors } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { hopChoice } from './protocols.js';

/**
 * A proxy the connection goes through (Gun's `intermediary()`): how it was used (`connect` for an
 * HTTP CONNECT, `socks5`), where it is, the transport to it and the protocol spoken with it.
 * `info().intermediaries` lists them first hop first.
 */
export interface Intermediary {
  readonly type: 'connect' | 'socks5';
  readonly host: string;
  readonly port: number;
  readonly transport: TransportName;
  readonly protocol: 'http' | 'http2' | 'socks';
}

/** Where the connection leads now: the origin of `info()` and of the `host` header. */
export interface Origin {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  readonly transport: TransportName;
  /** `host[:port]` as `host` / `:authority` carry it (the port omitted when it is the default). */
  readonly authority: string;
}

/** The origin a connection starts with, or the destination of a hop. */
export function originOf(host: string, port: number, transport: TransportName): Origin {
  return { scheme: transport === 'tls' ? 'https' : 'http', host, port, transport, authority: authorityOf(host, port, transport) };
}

/** What a `tunnel` directive changes: the proxy passed, the new origin, the options after it. */
export interface Hop {
  readonly intermediary: Intermediary;
  readonly origin: Origin;
  /**
   * The connection's options for what follows the hop: the destination's `protocols` (with their
   * own options), `transport`, `tlsOpts` and `tlsHandshakeTimeout` (default Infinity).
   */
  readonly opts: ResolvedOptions;
}

/**
 * The hop a `tunnel` directive makes (Gun's `origin` command, inventory §5.12, §5.13): `from` and
 * `protocol` describe the proxy that answered. The destination's options were checked when
 * `connect` or `open` took them.
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` when the destination's protocols are not valid.
 */
export function hopFor(d: TunnelDirective, from: Origin, protocol: Intermediary['protocol'], base: ResolvedOptions): Hop {
  const dest = d.destination;
  const transport: TransportName = dest.transport ?? 'tcp';
  const choice = hopChoice(dest, 'destination');
  const opts: ResolvedOptions = {
    ...base,
    transport,
    tlsOpts: (dest.tlsOpts ?? {}) as ResolvedOptions['tlsOpts'],
    tlsHandshakeTimeout: dest.tlsHandshakeTimeout ?? Infinity,
    ...choice,
  };
  return {
    intermediary: { type: d.via === 'connect' ? 'connect' : 'socks5', host: from.host, port: from.port, transport: from.transport, protocol },
    origin: originOf(dest.host.startsWith('[') ? dest.host.slice(1, -1) : dest.host, dest.port, transport),
    opts,
  };
}

/** `GUN_ERR_TUNNEL_EARLY_DATA`: the proxy spoke before our TLS handshake through it. */
export function earlyDataError(length: number): GunError {
  return new GunError(GunErrors.TUNNEL_EARLY_DATA, `The proxy sent ${length} octets before the TLS handshake through the tunnel began (RFC 8446 §4.1.2: the client speaks first).`, { origin: 'remote' });
}

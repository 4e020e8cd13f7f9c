import { lookup } from 'node:dns/promises';
import { isIP, connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { GunError } from '@gunhttp/core';
import type { GunEventMap, LookupInfo, StreamRef } from '@gunhttp/core';
import { GunErrors } from './errors.js';
import type { ConnectionProtocol, ResolvedOptions } from './options.js';

/** Where a connection goes: a host and port, or a unix socket path. */
export type Target = { readonly kind: 'inet'; readonly host: string; readonly port: number } | { readonly kind: 'unix'; readonly path: string };

/** Calls the event handler; supplied by the connection. */
export type Emit = <K extends keyof GunEventMap>(name: K, event: GunEventMap[K]) => void;

/** A connected socket and the protocol it will speak. */
export interface Established {
  readonly socket: Socket | TLSSocket;
  readonly protocol: ConnectionProtocol;
}

/** The module that opens the sockets, as the events' `lookupInfo.tcpModule` names it (Gun's `tcp_module`). */
const TCP_MODULE = 'node:net';

/** ALPN protocol IDs (RFC 7301 §6); raw and SOCKS are not offered by ALPN. */
const ALPN_IDS: Readonly<Partial<Record<ConnectionProtocol, string>>> = { http2: 'h2', http: 'http/1.1' };

/**
 * The protocol spoken after TLS: the one ALPN selected; when the server selected none, the only
 * protocol configured, else HTTP/1.1 (as Gun). Over TCP, the only protocol configured.
 */
function negotiated(opts: ResolvedOptions, alpn: string | false | null | undefined): ConnectionProtocol {
  if (opts.transport === 'tcp') return opts.protocols[0] ?? 'http';
  if (alpn === 'h2' && opts.protocols.includes('http2')) return 'http2';
  if (alpn === 'http/1.1' && opts.protocols.includes('http')) return 'http';
  return opts.protocols.length === 1 ? opts.protocols[0]! : 'http';
}

/** Runs `work` with a timer; rejects with `onTimeout()` when it fires first. */
function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => GunError, cleanup?: () => void): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup?.();
      reject(onTimeout());
    }, ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

function transportError(code: string, message: string, cause: unknown): GunError {
  return new GunError(code, message, { origin: 'transport', cause });
}

async function resolveHost(host: string, port: number, opts: ResolvedOptions, emit: Emit): Promise<string[]> {
  const base = { host, port, tcpOpts: opts.tcpOpts, timeout: opts.domainLookupTimeout };
  emit('domainLookupStart', base);
  if (isIP(host) !== 0) {
    emit('domainLookupEnd', { ...base, lookupInfo: lookupInfoOf([host], port, opts) });
    return [host];
  }
  try {
    const found = await withTimeout(
      lookup(host, { all: true }),
      opts.domainLookupTimeout,
      () => transportError(GunErrors.DOMAIN_LOOKUP_TIMEOUT, `The name ${host} was not resolved within ${opts.domainLookupTimeout} ms.`, undefined),
    );
    const ipAddresses = found.map((a) => a.address);
    emit('domainLookupEnd', { ...base, lookupInfo: lookupInfoOf(ipAddresses, port, opts) });
    return ipAddresses;
  } catch (cause) {
    const error = cause instanceof GunError ? cause : transportError(GunErrors.DOMAIN_LOOKUP, `The name ${host} could not be resolved (${errnoOf(cause)}).`, cause);
    emit('domainLookupEnd', { ...base, error });
    throw error;
  }
}

/** Gun's `lookup_info`: the addresses to try, the port, the socket module and its options. */
function lookupInfoOf(ipAddresses: string[], port: number, opts: ResolvedOptions): LookupInfo {
  return { ipAddresses, port, tcpModule: TCP_MODULE, tcpOpts: opts.tcpOpts };
}

function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : String(error);
}

/**
 * Octets read from a plain TCP socket at once. Node's default reads at most 64 KiB into a fresh
 * buffer each time; reading up to 1 MiB into one reused buffer and copying out what arrived
 * means 16 times fewer events and messages on a large download.
 */
const READ_BUFFER_SIZE = 1024 * 1024;

/** Options that make a socket read into one reused buffer and emit copies as `data` events. */
function staticReads(): { onread: { buffer: Uint8Array; callback: (this: Socket, n: number, buf: Uint8Array) => void } } {
  return {
    onread: {
      buffer: new Uint8Array(READ_BUFFER_SIZE),
      callback(this: Socket, n: number, buf: Uint8Array) {
        this.emit('data', buf.slice(0, n));
      },
    },
  };
}

function connectSocket(options: Record<string, unknown>, signal: AbortSignal): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = netConnect(options as unknown as Parameters<typeof netConnect>[0]);
    const onAbort = (): void => {
      socket.destroy();
      reject(transportError(GunErrors.CONNECT, 'The connection attempt was abandoned.', undefined));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      // Small frames (a SETTINGS ACK, then a request's HEADERS) must not wait for the peer's
      // delayed ACK (~40 ms on Linux) behind Nagle; node:http2, undici and curl do the same.
      if (options.noDelay !== false && options.path === undefined) socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(e);
    });
  });
}

/** Tries each address in turn, under one `connectTimeout` budget (no Happy Eyeballs, as Gun). */
async function connectAny(addresses: string[], port: number, opts: ResolvedOptions, emit: Emit, signal: AbortSignal): Promise<Socket> {
  const lookupInfo = lookupInfoOf(addresses, port, opts);
  emit('connectStart', { lookupInfo, timeout: opts.connectTimeout });
  const attempt = new AbortController();
  const stop = (): void => attempt.abort();
  signal.addEventListener('abort', stop, { once: true });
  const tryAll = async (): Promise<Socket> => {
    let last: unknown;
    for (const address of addresses) {
      try {
        const reads = opts.transport === 'tcp' ? staticReads() : {};
        return await connectSocket({ ...reads, ...opts.tcpOpts, host: address, port }, attempt.signal);
      } catch (e) {
        last = e;
        if (attempt.signal.aborted) break;
      }
    }
    throw transportError(GunErrors.CONNECT, `Connecting to port ${port} failed (${errnoOf(last)}).`, last);
  };
  try {
    const socket = await withTimeout(tryAll(), opts.connectTimeout, () => transportError(GunErrors.CONNECT_TIMEOUT, `The connection was not established within ${opts.connectTimeout} ms.`, undefined), stop);
    emit('connectEnd', { lookupInfo, timeout: opts.connectTimeout, socket, ...(opts.transport === 'tcp' ? { protocol: negotiated(opts, undefined) } : {}) });
    return socket;
  } catch (error) {
    emit('connectEnd', { lookupInfo, timeout: opts.connectTimeout, error: error as GunError });
    throw error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

async function connectUnix(path: string, opts: ResolvedOptions, emit: Emit, signal: AbortSignal): Promise<Socket> {
  const lookupInfo = lookupInfoOf([], 0, opts);
  emit('connectStart', { lookupInfo, timeout: opts.connectTimeout });
  try {
    const socket = await withTimeout(
      connectSocket({ ...opts.tcpOpts, path }, signal).catch((e: unknown) => {
        throw transportError(GunErrors.CONNECT, `Connecting to the unix socket ${path} failed (${errnoOf(e)}).`, e);
      }),
      opts.connectTimeout,
      () => transportError(GunErrors.CONNECT_TIMEOUT, `The connection was not established within ${opts.connectTimeout} ms.`, undefined),
    );
    emit('connectEnd', { lookupInfo, timeout: opts.connectTimeout, socket, ...(opts.transport === 'tcp' ? { protocol: negotiated(opts, undefined) } : {}) });
    return socket;
  } catch (error) {
    emit('connectEnd', { lookupInfo, timeout: opts.connectTimeout, error: error as GunError });
    throw error;
  }
}

/**
 * What the handshake events of a TLS inside a tunnel carry (Gun's tls_handshake event): the
 * CONNECT's stream ref (none for a SOCKS hop) and its replyTo. Empty for the connection's own TLS.
 */
export interface HandshakeScope {
  readonly streamRef?: StreamRef;
  readonly replyTo?: unknown;
}

/**
 * TLS over `socket` (a TCP socket, the TLS socket to a proxy for TLS over TLS, or the duplex of an
 * HTTP/2 tunnel's stream); `host` is what
 * the certificate must name, and the SNI unless it is an IP. ALPN offers `opts.protocols`.
 * Resolves with the TLS socket and the protocol chosen. The handshake events carry `scope` (a tunnel's ref and replyTo).
 *
 * @throws GunError `GUN_ERR_TLS_HANDSHAKE(_TIMEOUT)`; the socket is destroyed.
 */
export async function handshake(socket: Duplex, host: string, opts: ResolvedOptions, emit: Emit, scope: HandshakeScope = {}): Promise<Established> {
  const tlsSocket = await tlsOver(socket, host, opts, emit, scope);
  return { socket: tlsSocket, protocol: negotiated(opts, tlsSocket.alpnProtocol) };
}

function tlsOver(socket: Duplex, host: string, opts: ResolvedOptions, emit: Emit, scope: HandshakeScope): Promise<TLSSocket> {
  const sni = isIP(host) === 0 ? { servername: opts.tlsOpts.servername ?? host } : {};
  const alpn = opts.protocols.flatMap((p) => ALPN_IDS[p] ?? []);
  const tlsOpts = { ...(alpn.length === 0 ? {} : { ALPNProtocols: alpn }), ...opts.tlsOpts, ...sni };
  emit('tlsHandshakeStart', { ...scope, socket, tlsOpts, timeout: opts.tlsHandshakeTimeout });
  const work = new Promise<TLSSocket>((resolve, reject) => {
    const tlsSocket = tlsConnect({ ...tlsOpts, host, socket });
    const onClose = (): void => reject(transportError(GunErrors.TLS_HANDSHAKE, 'The TLS handshake failed: the socket closed first.', undefined));
    tlsSocket.once('secureConnect', () => {
      tlsSocket.removeAllListeners('error');
      tlsSocket.off('close', onClose);
      resolve(tlsSocket);
    });
    tlsSocket.once('error', (e) => {
      tlsSocket.destroy();
      reject(transportError(GunErrors.TLS_HANDSHAKE, `The TLS handshake failed (${errnoOf(e)}: ${(e as Error).message}).`, e));
    });
    // A socket destroyed without an error (the connection closed meanwhile) must settle too, or
    // the handshake timer would run on.
    tlsSocket.once('close', onClose);
  });
  return withTimeout(work, opts.tlsHandshakeTimeout, () => transportError(GunErrors.TLS_HANDSHAKE_TIMEOUT, `The TLS handshake did not finish within ${opts.tlsHandshakeTimeout} ms.`, undefined), () => socket.destroy()).then(
    (tlsSocket) => {
      emit('tlsHandshakeEnd', { ...scope, socket: tlsSocket, tlsOpts, timeout: opts.tlsHandshakeTimeout, protocol: negotiated(opts, tlsSocket.alpnProtocol) });
      return tlsSocket;
    },
    (error: unknown) => {
      socket.destroy();
      emit('tlsHandshakeEnd', { ...scope, socket, tlsOpts, timeout: opts.tlsHandshakeTimeout, error: error as GunError });
      throw error;
    },
  );
}

/**
 * Opens the transport: name lookup, TCP (or unix socket), then TLS when asked, emitting Gun's
 * events around each step (Gun §4).
 *
 * @throws GunError `GUN_ERR_DOMAIN_LOOKUP(_TIMEOUT)`, `GUN_ERR_CONNECT(_TIMEOUT)`,
 *   `GUN_ERR_TLS_HANDSHAKE(_TIMEOUT)`, each with the underlying error as `cause`.
 */
export async function establish(target: Target, opts: ResolvedOptions, emit: Emit, signal: AbortSignal): Promise<Established> {
  let socket: Socket;
  if (target.kind === 'unix') {
    socket = await connectUnix(target.path, opts, emit, signal);
  } else {
    const addresses = await resolveHost(target.host, target.port, opts, emit);
    socket = await connectAny(addresses, target.port, opts, emit, signal);
  }
  if (opts.transport === 'tls') return handshake(socket, target.kind === 'inet' ? target.host : 'localhost', opts, emit);
  return { socket, protocol: negotiated(opts, undefined) };
}

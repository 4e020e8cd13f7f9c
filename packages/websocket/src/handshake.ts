import { GunError, isToken, latin1Encode } from '@gunhttp/core';
import type { HeaderList } from '@gunhttp/core';
import { base64Encode } from './base64.js';
import { badArgument, WsErrors } from './errors.js';

/** The GUID appended to the key before hashing (RFC 6455 §1.3, §4.2.2). */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Returns `n` random octets; supplied by the caller (crypto.getRandomValues, node:crypto). */
export type RandomSource = (n: number) => Uint8Array;

/** SHA-1 of some octets (20 octets out); supplied by the caller (node:crypto, SubtleCrypto wrapped). */
export type Sha1 = (bytes: Uint8Array) => Uint8Array;

/**
 * A fresh `sec-websocket-key`: the base64 of 16 random octets (RFC 6455 §4.1 item 7).
 * Throws `WS_ERR_BAD_ARGUMENT` when `random` does not return 16 octets.
 */
export function generateKey(random: RandomSource): string {
  const nonce = random(16);
  if (nonce.length !== 16) throw badArgument('A Sec-WebSocket-Key nonce is 16 random octets (RFC 6455 §4.1)');
  return base64Encode(nonce);
}

/** The `sec-websocket-accept` a server answers `key` with: base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2). */
export function computeAccept(key: string, sha1: Sha1): string {
  return base64Encode(sha1(latin1Encode(key + WEBSOCKET_GUID)));
}

/** Whether a response's `sec-websocket-accept` matches our key (RFC 6455 §4.1, item 4 of the client checks). */
export function checkAccept(key: string, accept: string | undefined, sha1: Sha1): boolean {
  return accept !== undefined && accept.trim() === computeAccept(key, sha1);
}

function checkProtocols(protocols: readonly string[]): void {
  const seen = new Set<string>();
  for (const p of protocols) {
    if (!isToken(p)) throw badArgument(`Subprotocol ${JSON.stringify(p)} must be a token (RFC 6455 §4.1)`);
    if (seen.has(p)) throw badArgument(`Subprotocol ${p} is listed twice (RFC 6455 §4.1: unique values)`);
    seen.add(p);
  }
}

/** `sec-websocket-protocol` offering subprotocols in preference order (`a, b, c`, RFC 6455 §4.1 item 10). */
export function buildProtocolHeader(protocols: readonly string[]): string {
  checkProtocols(protocols);
  return protocols.join(', ');
}

/** The outcome of reading the server's `sec-websocket-protocol`. */
export type ProtocolSelection =
  | { readonly kind: 'none' }
  | { readonly kind: 'selected'; readonly protocol: string }
  | { readonly kind: 'error'; readonly error: GunError };

/**
 * Reads the server's `sec-websocket-protocol`: absent means none was selected (Gun then uses its
 * default handler); present must be exactly one of the offered names (RFC 6455 §4.1, client
 * check 6), else `WS_ERR_INVALID_PROTOCOL`.
 */
export function parseProtocolResponse(value: string | undefined, offered: readonly string[]): ProtocolSelection {
  if (value === undefined) return { kind: 'none' };
  const protocol = value.trim();
  if (!offered.includes(protocol)) {
    const message = `The server selected subprotocol ${JSON.stringify(protocol)}, which was not offered (RFC 6455 §4.1)`;
    return { kind: 'error', error: new GunError(WsErrors.INVALID_PROTOCOL, message, { origin: 'remote' }) };
  }
  return { kind: 'selected', protocol };
}

/** Optional handshake headers shared by both upgrade forms. */
export interface HandshakeOptions {
  /** Subprotocols to offer, in order. */
  readonly protocols?: readonly string[];
  /** A `sec-websocket-extensions` value, e.g. from `buildExtensionOffer()`. */
  readonly extensions?: string;
}

function optionalHeaders(opts: HandshakeOptions): HeaderList {
  const out: HeaderList = [];
  if (opts.protocols !== undefined && opts.protocols.length > 0) out.push(['sec-websocket-protocol', buildProtocolHeader(opts.protocols)]);
  if (opts.extensions !== undefined) out.push(['sec-websocket-extensions', opts.extensions]);
  return out;
}

/**
 * Headers of an HTTP/1.1 upgrade request (RFC 6455 §4.1), as Gun sends them: `connection:
 * upgrade`, `upgrade: websocket`, `sec-websocket-version: 13`, the key, then subprotocols and
 * extensions. The caller adds `host` and its own headers.
 */
export function upgradeRequestHeaders(opts: HandshakeOptions & { readonly key: string }): HeaderList {
  return [
    ['connection', 'upgrade'],
    ['upgrade', 'websocket'],
    ['sec-websocket-version', '13'],
    ['sec-websocket-key', opts.key],
    ...optionalHeaders(opts),
  ];
}

/** Where an RFC 8441 extended CONNECT goes. */
export interface ExtendedConnectTarget extends HandshakeOptions {
  readonly authority: string;
  readonly path: string;
  /** `https` or `http` (RFC 8441 §4: the scheme of the target URI). */
  readonly scheme: string;
}

/**
 * Pseudo-headers and headers of a Websocket over HTTP/2 request (RFC 8441 §4, §5):
 * `:method CONNECT`, `:protocol websocket`, `:scheme`, `:authority`, `:path`,
 * `sec-websocket-version: 13`, then subprotocols and extensions; no key and no accept (§5).
 */
export function extendedConnectHeaders(target: ExtendedConnectTarget): HeaderList {
  if (target.path === '') throw badArgument(':path must not be empty (RFC 8441 §4)');
  return [
    [':method', 'CONNECT'],
    [':protocol', 'websocket'],
    [':scheme', target.scheme],
    [':authority', target.authority],
    [':path', target.path],
    ['sec-websocket-version', '13'],
    ...optionalHeaders(target),
  ];
}

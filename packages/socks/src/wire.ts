import { MORE, ok, parseError, utf8Encode } from '@gunhttp/core';
import type { ByteQueue, ParseResult } from '@gunhttp/core';
import { AddressType, formatAddress } from './address.js';
import type { SocksAddress } from './address.js';
import { SOCKS_REPLY_ERRORS, socksError, SocksErrors } from './errors.js';

/** SOCKS protocol version (RFC 1928 §3). */
export const SOCKS_VERSION = 0x05;
/** Version of the username/password subnegotiation (RFC 1929 §2). */
export const AUTH_VERSION = 0x01;

/** Authentication methods (RFC 1928 §3). */
export const Method = { NONE: 0x00, USERNAME_PASSWORD: 0x02, NO_ACCEPTABLE: 0xff } as const;

/** The CONNECT command (RFC 1928 §4). */
export const CMD_CONNECT = 0x01;

/** Greeting: VER NMETHODS METHODS (RFC 1928 §3). */
export function encodeGreeting(methods: readonly number[]): Uint8Array {
  return Uint8Array.of(SOCKS_VERSION, methods.length, ...methods);
}

/** Username/password request: VER ULEN UNAME PLEN PASSWD (RFC 1929 §2). */
export function encodeAuthRequest(username: Uint8Array, password: Uint8Array): Uint8Array {
  return Uint8Array.of(AUTH_VERSION, username.length, ...username, password.length, ...password);
}

/** CONNECT request: VER CMD RSV ATYP DST.ADDR DST.PORT (RFC 1928 §4). */
export function encodeConnect(address: SocksAddress, port: number): Uint8Array {
  const addr = address.type === AddressType.DOMAIN ? Uint8Array.of(address.bytes.length, ...address.bytes) : address.bytes;
  return Uint8Array.of(SOCKS_VERSION, CMD_CONNECT, 0x00, address.type, ...addr, port >> 8, port & 0xff);
}

function badVersion(what: string, got: number, want: number): ParseResult<never> {
  return parseError(socksError(SocksErrors.PROTOCOL, `${what} version is ${got}, expected ${want} (RFC 1928 §3, RFC 1929 §2)`));
}

/** Method selection: VER METHOD (RFC 1928 §3). */
export function parseMethodReply(q: ByteQueue): ParseResult<number> {
  if (q.length < 2) return MORE;
  const version = q.byteAt(0)!;
  if (version !== SOCKS_VERSION) return badVersion('The method selection', version, SOCKS_VERSION);
  return ok(q.byteAt(1)!, 2);
}

/** Username/password status: VER STATUS (RFC 1929 §2); the value is STATUS. */
export function parseAuthReply(q: ByteQueue): ParseResult<number> {
  if (q.length < 2) return MORE;
  const version = q.byteAt(0)!;
  if (version !== AUTH_VERSION) return badVersion('The username/password reply', version, AUTH_VERSION);
  return ok(q.byteAt(1)!, 2);
}

/** The server's bound address from a successful reply. */
export interface BoundAddress {
  readonly host: string;
  readonly port: number;
}

function addressLength(q: ByteQueue, atyp: number): number | null | 'more' {
  switch (atyp) {
    case AddressType.IPV4:
      return 4;
    case AddressType.IPV6:
      return 16;
    case AddressType.DOMAIN:
      return q.length < 5 ? 'more' : 1 + q.byteAt(4)!;
    default:
      return null;
  }
}

const utf8 = new TextDecoder();

/**
 * Reply: VER REP RSV ATYP BND.ADDR BND.PORT (RFC 1928 §6). A failure REP is reported as soon as
 * its octet arrives, since nothing after it matters; RSV is ignored.
 */
export function parseConnectReply(q: ByteQueue): ParseResult<BoundAddress> {
  if (q.length < 2) return MORE;
  const version = q.byteAt(0)!;
  if (version !== SOCKS_VERSION) return badVersion('The reply', version, SOCKS_VERSION);
  const rep = q.byteAt(1)!;
  if (rep !== 0) return parseError(replyError(rep));
  if (q.length < 4) return MORE;
  const atyp = q.byteAt(3)!;
  const addrLen = addressLength(q, atyp);
  if (addrLen === null) return parseError(socksError(SocksErrors.PROTOCOL, `Reply address type ${atyp} is not 1, 3 or 4 (RFC 1928 §6)`));
  if (addrLen === 'more' || q.length < 4 + addrLen + 2) return MORE;
  const bytes = q.peek(4 + addrLen + 2);
  const addr = bytes.subarray(4, 4 + addrLen);
  const host = atyp === AddressType.DOMAIN ? utf8.decode(addr.subarray(1)) : formatAddress(atyp, addr);
  const port = (bytes[4 + addrLen]! << 8) | bytes[5 + addrLen]!;
  return ok({ host, port }, 4 + addrLen + 2);
}

const REPLY_TEXT: Readonly<Record<number, string>> = {
  1: 'general SOCKS server failure', 2: 'connection not allowed by ruleset', 3: 'network unreachable', 4: 'host unreachable',
  5: 'connection refused', 6: 'TTL expired', 7: 'command not supported', 8: 'address type not supported',
};

/** The named error of a failure REP (RFC 1928 §6), `SOCKS_ERR_UNKNOWN_REPLY` for unassigned values. */
export function replyError(rep: number): ReturnType<typeof socksError> {
  const code = SOCKS_REPLY_ERRORS[rep] ?? SocksErrors.UNKNOWN_REPLY;
  const text = REPLY_TEXT[rep] ?? 'an unassigned reply';
  return socksError(code, `The SOCKS server answered REP X'${rep.toString(16).padStart(2, '0')}': ${text} (RFC 1928 §6)`, rep);
}

/** Credentials as octets; UTF-8 (RFC 1929 §2 leaves the charset open). */
export function credentialBytes(text: string): Uint8Array {
  return utf8Encode(text);
}

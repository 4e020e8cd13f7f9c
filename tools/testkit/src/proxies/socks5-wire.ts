/**
 * The server side of the SOCKS5 wire format (RFC 1928, RFC 1929), written independently of
 * `@gunhttp/socks` so each checks the other. One parse function per message; partial input is
 * `MORE`, a malformed message `BAD`.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Not enough bytes yet. */
export const MORE = { kind: 'more' } as const;
/** The bytes cannot be this message. */
export const BAD = { kind: 'bad' } as const;

/** A parse outcome: a value and how many octets it used, `MORE` or `BAD`. */
export type Parsed<T> = { kind: 'ok'; value: T; consumed: number } | typeof MORE | typeof BAD;

/** RFC 1928 §3 METHOD values used here. */
export const SocksMethod = { NONE: 0x00, USERNAME_PASSWORD: 0x02, NO_ACCEPTABLE: 0xff } as const;

/** RFC 1928 §6 REP values. */
export const SocksReply = {
  SUCCEEDED: 0x00,
  GENERAL_FAILURE: 0x01,
  NOT_ALLOWED: 0x02,
  NETWORK_UNREACHABLE: 0x03,
  HOST_UNREACHABLE: 0x04,
  CONNECTION_REFUSED: 0x05,
  TTL_EXPIRED: 0x06,
  COMMAND_NOT_SUPPORTED: 0x07,
  ADDRESS_TYPE_NOT_SUPPORTED: 0x08,
} as const;

/** RFC 1928 §4 CMD CONNECT. */
export const CMD_CONNECT = 0x01;

const ATYP = { IPV4: 0x01, DOMAIN: 0x03, IPV6: 0x04 } as const;

/** A CONNECT (or other) request: RFC 1928 §4. */
export interface SocksRequest {
  readonly command: number;
  readonly addressType: 'ipv4' | 'domain' | 'ipv6';
  readonly host: string;
  readonly port: number;
}

/** Version identifier/method selection message: `05 NMETHODS METHODS...` (RFC 1928 §3). */
export function parseGreeting(b: Buffer): Parsed<number[]> {
  if (b.length < 2) return MORE;
  const count = b[1] ?? 0;
  if (b[0] !== 0x05 || count === 0) return BAD;
  if (b.length < 2 + count) return MORE;
  return { kind: 'ok', value: [...b.subarray(2, 2 + count)], consumed: 2 + count };
}

/** Username/password request: `01 ULEN UNAME PLEN PASSWD` (RFC 1929 §2). */
export function parseUserPass(b: Buffer): Parsed<{ username: string; password: string }> {
  if (b.length < 2) return MORE;
  if (b[0] !== 0x01) return BAD;
  const ulen = b[1] ?? 0;
  if (b.length < 3 + ulen) return MORE;
  const plen = b[2 + ulen] ?? 0;
  const end = 3 + ulen + plen;
  if (b.length < end) return MORE;
  const username = b.subarray(2, 2 + ulen).toString('utf8');
  const password = b.subarray(3 + ulen, end).toString('utf8');
  return { kind: 'ok', value: { username, password }, consumed: end };
}

/** RFC 5952 text of a 16-octet IPv6 address (lowercase, longest zero run as `::`). */
export function formatIpv6(bytes: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** `ATYP DST.ADDR` (RFC 1928 §5); `BAD` for an unknown ATYP. */
function parseAddress(b: Buffer, at: number): Parsed<Pick<SocksRequest, 'addressType' | 'host'>> {
  if (b.length <= at) return MORE;
  switch (b[at]) {
    case ATYP.IPV4:
      if (b.length < at + 5) return MORE;
      return { kind: 'ok', value: { addressType: 'ipv4', host: [...b.subarray(at + 1, at + 5)].join('.') }, consumed: 5 };
    case ATYP.IPV6:
      if (b.length < at + 17) return MORE;
      return { kind: 'ok', value: { addressType: 'ipv6', host: formatIpv6(b.subarray(at + 1, at + 17)) }, consumed: 17 };
    case ATYP.DOMAIN: {
      if (b.length < at + 2) return MORE;
      const length = b[at + 1] ?? 0;
      if (b.length < at + 2 + length) return MORE;
      return { kind: 'ok', value: { addressType: 'domain', host: b.subarray(at + 2, at + 2 + length).toString('latin1') }, consumed: 2 + length };
    }
    default:
      return BAD;
  }
}

/** Request: `05 CMD 00 ATYP DST.ADDR DST.PORT` (RFC 1928 §4). */
export function parseRequest(b: Buffer): Parsed<SocksRequest> {
  if (b.length < 4) return MORE;
  if (b[0] !== 0x05) return BAD;
  const address = parseAddress(b, 3);
  if (address.kind !== 'ok') return address;
  const portAt = 3 + address.consumed;
  if (b.length < portAt + 2) return MORE;
  return { kind: 'ok', value: { command: b[1] ?? 0, ...address.value, port: b.readUInt16BE(portAt) }, consumed: portAt + 2 };
}

/** Whether a request's ATYP octet is one of the three RFC 1928 defines (for the 0x08 reply). */
export function knownAddressType(b: Buffer): boolean {
  const atyp = b[3];
  return atyp === undefined || atyp === ATYP.IPV4 || atyp === ATYP.DOMAIN || atyp === ATYP.IPV6;
}

/** Reply: `05 REP 00 ATYP BND.ADDR BND.PORT` (RFC 1928 §6); 0.0.0.0:0 when there is no bound address. */
export function encodeReply(rep: number, boundAddress = '0.0.0.0', boundPort = 0): Buffer {
  // An IPv4-mapped address (::ffff:a.b.c.d) is reported as the IPv4 address it maps.
  const v4 = boundAddress.replace(/^::ffff:/i, '');
  let address: Buffer;
  if (isIPv4(v4)) address = Buffer.from([ATYP.IPV4, ...v4.split('.').map(Number)]);
  else if (isIPv6(boundAddress)) address = Buffer.concat([Buffer.from([ATYP.IPV6]), ipv6Bytes(boundAddress)]);
  else address = Buffer.from([ATYP.IPV4, 0, 0, 0, 0]);
  const port = Buffer.alloc(2);
  port.writeUInt16BE(boundPort);
  return Buffer.concat([Buffer.from([0x05, rep, 0x00]), address, port]);
}

/** The 16 octets of an IPv6 address written in hex groups, with at most one `::`. */
export function ipv6Bytes(text: string): Buffer {
  const [head = '', rest] = text.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const zeros = new Array<number>(Math.max(0, 8 - left.length - right.length)).fill(0);
  const out = Buffer.alloc(16);
  [...left, ...zeros, ...right].slice(0, 8).forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Maps a target connection error to a REP code (RFC 1928 §6). */
export function replyForError(error: NodeJS.ErrnoException): number {
  switch (error.code) {
    case 'ECONNREFUSED':
      return SocksReply.CONNECTION_REFUSED;
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return SocksReply.HOST_UNREACHABLE;
    case 'ENETUNREACH':
      return SocksReply.NETWORK_UNREACHABLE;
    case 'ETIMEDOUT':
      return SocksReply.TTL_EXPIRED;
    default:
      return SocksReply.GENERAL_FAILURE;
  }
}

import { utf8Encode } from '@gunhttp/core';
import { badArgument } from './errors.js';

/** Address types (RFC 1928 §4, §5). */
export const AddressType = { IPV4: 0x01, DOMAIN: 0x03, IPV6: 0x04 } as const;

/** A destination as the CONNECT request carries it. */
export type SocksAddress =
  | { readonly type: typeof AddressType.IPV4; readonly bytes: Uint8Array }
  | { readonly type: typeof AddressType.IPV6; readonly bytes: Uint8Array }
  | { readonly type: typeof AddressType.DOMAIN; readonly bytes: Uint8Array };

/** A dotted-quad IPv4 literal without leading zeros, or null. */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return null;
    out[i] = Number(p);
  }
  return out;
}

function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4(p);
      if (v4 === null) return null;
      out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      out.push(parseInt(p, 16));
    } else {
      return null;
    }
  }
  return out;
}

/** An IPv6 literal (RFC 4291 §2.2 text forms, brackets allowed, no zone), or null. */
export function parseIpv6(text: string): Uint8Array | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!bare.includes(':')) return null;
  const halves = bare.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

/**
 * Picks the address type for a host (RFC 1928 §5): an IPv4 literal → X'01', an IPv6 literal
 * with or without brackets → X'04', anything else a domain name → X'03' (1 to 255 octets, the
 * server resolves it). Throws `SOCKS_ERR_BAD_ARGUMENT` on an empty or too long name.
 */
export function encodeDestinationHost(host: string): SocksAddress {
  const v4 = parseIpv4(host);
  if (v4 !== null) return { type: AddressType.IPV4, bytes: v4 };
  const v6 = parseIpv6(host);
  if (v6 !== null) return { type: AddressType.IPV6, bytes: v6 };
  if (host.startsWith('[') || host.includes('%')) throw badArgument(`${host} is not a valid IPv6 literal (zones cannot be sent, RFC 1928 §5)`);
  const name = utf8Encode(host);
  if (name.length < 1 || name.length > 255) throw badArgument('A SOCKS5 domain name is 1 to 255 octets (RFC 1928 §5)');
  return { type: AddressType.DOMAIN, bytes: name };
}

/** Text form of a received IPv4 or IPv6 address (IPv6 as eight lowercase groups, RFC 5952 §4.1 without compression). */
export function formatAddress(type: number, bytes: Uint8Array): string {
  if (type === AddressType.IPV4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

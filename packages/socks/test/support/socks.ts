import { GunError, concatBytes } from '@gunhttp/core';
import { Socks5Client } from '../../src/index.js';
import type { Socks5ClientOptions, Socks5Event } from '../../src/index.js';

export const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/** Joins byte arrays. */
export const cat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

export const DEST = { host: 'example.org', port: 443 };

/** A started client (greeting already taken from the outbox). */
export function started(options: Partial<Socks5ClientOptions> = {}): Socks5Client {
  const s = new Socks5Client({ destination: DEST, ...options });
  s.start();
  s.takeOutput();
  return s;
}

/** Events with errors reduced to code and socksReply, so they compare with toEqual. */
export function norm(events: readonly Socks5Event[]): unknown[] {
  return events.map((e) => {
    if (e.type !== 'error') return e;
    expect(e.error).toBeInstanceOf(GunError);
    return e.error.socksReply === undefined ? { type: 'error', code: e.error.code } : { type: 'error', code: e.error.code, socksReply: e.error.socksReply };
  });
}

/** A successful CONNECT reply with an IPv4 bound address 10.0.0.1:4242. */
export const REPLY_OK = bytes(5, 0, 0, 1, 10, 0, 0, 1, 0x10, 0x92);
export const BOUND = { host: '10.0.0.1', port: 4242 };

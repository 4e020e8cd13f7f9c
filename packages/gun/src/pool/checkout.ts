import { CoreErrors, assertNever, localError } from '@gunhttp/core';
import type { Protocol } from '@gunhttp/core';
import { PoolErrors } from './errors.js';

/**
 * How many streams a pooled connection may carry at once (Gun's `gun_pool` checkout): one for
 * HTTP/1.1 (no pipelining through the pool), the server's SETTINGS_MAX_CONCURRENT_STREAMS for
 * HTTP/2 (RFC 9113 §6.5.2; `Infinity` until its SETTINGS arrive), unlimited for Websocket, raw
 * and SOCKS (no request streams to count).
 */
export function streamCapacity(protocol: Protocol, maxConcurrentStreams: number): number {
  switch (protocol) {
    case 'http': return 1;
    case 'http2': return maxConcurrentStreams;
    case 'ws':
    case 'raw':
    case 'socks':
      return Infinity;
    default: return assertNever(protocol, 'protocol');
  }
}

/**
 * Picks uniformly at random among the candidates that `accept` (Gun shuffles the connections
 * and takes the first with capacity, which is the same distribution). `random` returns a number
 * in [0, 1), as `Math.random`.
 */
export function pickRandom<T>(candidates: Iterable<T>, accept: (c: T) => boolean, random: () => number): T | undefined {
  const ok: T[] = [];
  for (const c of candidates) if (accept(c)) ok.push(c);
  if (ok.length === 0) return undefined;
  return ok[Math.min(ok.length - 1, Math.floor(random() * ok.length))];
}

/**
 * Gun's `checkout_retry`: tries `attempt` (a checkout and the request it sends) now, then after
 * each sleep of `sleeps` (ms) while it finds nothing. The first attempt runs synchronously, and
 * each attempt checks out and sends in one go, so concurrent callers see each other's streams
 * counted (the `requestStart` event fires inside the send). Every sleep must be a non-negative
 * integer (ms).
 *
 * @throws GunError `POOL_ERR_NO_CONNECTION_AVAILABLE` after the last attempt;
 *   `GUN_ERR_BAD_ARGUMENT` for a bad `sleeps` list.
 */
export async function withCheckoutRetry<T>(attempt: () => T | undefined, sleeps: readonly number[] = []): Promise<T> {
  if (!Array.isArray(sleeps) || !sleeps.every((ms) => Number.isInteger(ms) && ms >= 0)) {
    throw localError(CoreErrors.BAD_ARGUMENT, 'checkoutRetry must be a list of non-negative integers (ms).');
  }
  for (let i = 0; ; i++) {
    const found = attempt();
    if (found !== undefined) return found;
    const ms = sleeps[i];
    if (ms === undefined) break;
    await new Promise((resolve) => setTimeout(resolve, ms));
  }
  throw localError(PoolErrors.NO_CONNECTION_AVAILABLE, 'No connection of the pool is up with a free stream.');
}

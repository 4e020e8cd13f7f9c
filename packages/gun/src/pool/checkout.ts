import { CoreErrors, assertNever, localError } from '@gunhttp/core';
import type { GunError, Protocol } from '@gunhttp/core';
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
 * in [0, 1), as `Math.random`. Two passes (count, then walk to the chosen one) so a checkout
 * allocates nothing.
 */
export function pickRandom<T>(candidates: readonly T[], accept: (c: T) => boolean, random: () => number): T | undefined {
  let accepted = 0;
  for (const c of candidates) if (accept(c)) accepted++;
  if (accepted === 0) return undefined;
  let skip = Math.min(accepted - 1, Math.floor(random() * accepted));
  for (const c of candidates) {
    if (!accept(c)) continue;
    if (skip === 0) return c;
    skip--;
  }
  return undefined;
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
export function withCheckoutRetry<T>(attempt: () => T | undefined, sleeps: readonly number[] = NO_SLEEPS): Promise<T> {
  if (sleeps !== NO_SLEEPS && !(Array.isArray(sleeps) && sleeps.every((ms) => Number.isInteger(ms) && ms >= 0))) {
    return Promise.reject(localError(CoreErrors.BAD_ARGUMENT, 'checkoutRetry must be a list of non-negative integers (ms).'));
  }
  // The first attempt without an async frame: a free connection is the common case.
  let found: T | undefined;
  try {
    found = attempt();
  } catch (error) {
    return Promise.reject(error);
  }
  if (found !== undefined) return Promise.resolve(found);
  return sleeps.length === 0 ? Promise.reject(noConnection()) : retry(attempt, sleeps);
}

const NO_SLEEPS: readonly number[] = [];

/** The attempts after the first, each after its sleep. */
async function retry<T>(attempt: () => T | undefined, sleeps: readonly number[]): Promise<T> {
  for (const ms of sleeps) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const found = attempt();
    if (found !== undefined) return found;
  }
  throw noConnection();
}

function noConnection(): GunError {
  return localError(PoolErrors.NO_CONNECTION_AVAILABLE, 'No connection of the pool is up with a free stream.');
}

import type { Pool } from './pool.js';

/**
 * The pools, by scope then authority (Gun's `gun_pools` ETS table keyed by `{Scope, Authority}`).
 * Authorities are compared case-insensitively (host names are, RFC 3986 §3.2.2).
 */
const pools = new Map<string, Map<string, Pool>>();

const key = (authority: string): string => authority.toLowerCase();

/** Registers a pool; `false` when its scope and authority already have one. */
export function registerPool(scope: string, authority: string, pool: Pool): boolean {
  let byAuthority = pools.get(scope);
  if (byAuthority === undefined) pools.set(scope, (byAuthority = new Map()));
  if (byAuthority.has(key(authority))) return false;
  byAuthority.set(key(authority), pool);
  return true;
}

/** Removes a pool (only that one: a newer pool for the same key stays). */
export function unregisterPool(scope: string, authority: string, pool: Pool): void {
  const byAuthority = pools.get(scope);
  if (byAuthority?.get(key(authority)) !== pool) return;
  byAuthority.delete(key(authority));
  if (byAuthority.size === 0) pools.delete(scope);
}

/** The pool of a scope and authority. */
export function findPool(authority: string, scope: string): Pool | undefined {
  return pools.get(scope)?.get(key(authority));
}

/** Every registered pool. */
export function allPools(): Pool[] {
  const out: Pool[] = [];
  for (const byAuthority of pools.values()) out.push(...byAuthority.values());
  return out;
}

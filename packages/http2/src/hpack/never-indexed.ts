import type { HeaderList } from '@gunhttp/core';

/** The field tuples that must stay never-indexed (RFC 7541 §6.2.3, §7.1.3). */
const NEVER_INDEXED = new WeakSet<object>();

/**
 * Marks a field of a header list as sensitive: the encoder writes it as a never-indexed literal
 * (RFC 7541 §6.2.3), so no intermediary may index it either. The decoder marks the fields it
 * received that way, so re-encoding a decoded list keeps them never-indexed (§7.1.3).
 */
export function markNeverIndexed(field: HeaderList[number]): void {
  NEVER_INDEXED.add(field);
}

/** Whether a field was marked with {@link markNeverIndexed} or decoded from a never-indexed literal. */
export function isNeverIndexed(field: HeaderList[number]): boolean {
  return NEVER_INDEXED.has(field);
}

import { GunError } from '@gunhttp/core';
import { GunErrors } from './errors.js';

/** Throws `GUN_ERR_INVALID_OPTION` naming the option path and what was expected. */
export function fail(path: string, expected: string): never {
  throw new GunError(GunErrors.INVALID_OPTION, `Invalid option ${path}: expected ${expected}.`, { origin: 'local' });
}

/** A non-negative integer (ms) or `Infinity`. */
export const isTimeout = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
/** A positive integer (ms) or `Infinity`. */
export const isPositiveTimeout = (v: unknown): boolean => v === Infinity || (typeof v === 'number' && Number.isInteger(v) && v > 0);
/** A plain object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rejects keys of `value` not in `allowed`. */
export function checkKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, `one of ${allowed.join(', ')} (unknown option)`);
  }
}

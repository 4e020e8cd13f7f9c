import type { GunError } from './errors.js';

/**
 * The outcome of parsing one grammar production from a byte queue: a value and the number of
 * octets it used, `more` when the bytes so far are a valid prefix (never an exception), or the
 * peer's violation.
 */
export type ParseResult<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly consumed: number }
  | { readonly kind: 'more' }
  | { readonly kind: 'error'; readonly error: GunError };

/** The shared `more` result. */
export const MORE: { readonly kind: 'more' } = Object.freeze({ kind: 'more' });

/** Builds an `ok` result. */
export function ok<T>(value: T, consumed: number): ParseResult<T> {
  return { kind: 'ok', value, consumed };
}

/** Builds an `error` result. */
export function parseError<T = never>(error: GunError): ParseResult<T> {
  return { kind: 'error', error };
}

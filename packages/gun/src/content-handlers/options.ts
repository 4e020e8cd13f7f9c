import { GunError } from '@gunhttp/core';
import { GunErrors } from '../errors.js';
import { resolveSpec } from './content-handler.js';
import type { ContentHandler, ResolvedContentHandler } from './content-handler.js';
import { gunDataHandler } from './data-handler.js';

/** Throws `GUN_ERR_INVALID_OPTION` naming the option, as `open()` does for its other options. */
export function invalidOption(path: string, expected: string): never {
  throw new GunError(GunErrors.INVALID_OPTION, `Invalid option ${path}: expected ${expected}.`, { origin: 'local' });
}

/** Whether a value is an object that is not an array (an options map). */
export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isHandler = (v: unknown): v is ContentHandler =>
  typeof v === 'object' && v !== null && typeof (v as ContentHandler).init === 'function' && typeof (v as ContentHandler).handle === 'function';

/** Gun's default `content_handlers`: `[gun_data_h]`. */
export const DEFAULT_CONTENT_HANDLERS: readonly ResolvedContentHandler[] = Object.freeze([resolveSpec(gunDataHandler as ContentHandler)]);

const EXPECTED_ENTRY = 'a content handler ({ init, handle }) or a [handler, options] pair';

/**
 * Validates the `contentHandlers` option of `httpOpts` / `http2Opts` (Gun's `content_handlers`):
 * a non-empty list of handlers, each bare or as `[handler, options]`; each handler's
 * `checkOptions` runs on its options. Returns the list with options made explicit
 * (`[handler, {}]` for a bare one); `undefined` gives Gun's default `[gunDataHandler]`.
 *
 * @throws GunError `GUN_ERR_INVALID_OPTION` naming the first invalid entry
 *   (`options.httpOpts.contentHandlers[1][1].maxLineLength`).
 */
export function validateContentHandlers(value: unknown, path: string): readonly ResolvedContentHandler[] {
  if (value === undefined) return DEFAULT_CONTENT_HANDLERS;
  if (!Array.isArray(value) || value.length === 0) invalidOption(path, `a non-empty list, each entry ${EXPECTED_ENTRY}`);
  return value.map((entry: unknown, i: number): ResolvedContentHandler => {
    const at = `${path}[${i}]`;
    if (isHandler(entry)) {
      const resolved = resolveSpec(entry);
      entry.checkOptions?.(resolved[1], at);
      return resolved;
    }
    if (!Array.isArray(entry) || entry.length !== 2 || !isHandler(entry[0])) invalidOption(at, EXPECTED_ENTRY);
    const [handler, opts] = entry as [ContentHandler, unknown];
    if (!isPlainObject(opts)) invalidOption(`${at}[1]`, 'an options object');
    handler.checkOptions?.(opts, `${at}[1]`);
    return [handler, opts];
  });
}

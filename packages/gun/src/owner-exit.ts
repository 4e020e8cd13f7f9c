import { GunError } from '@gunhttp/core';
import { GunErrors } from './errors.js';

/**
 * How a connection ends after its owner's mailbox closed with `reason` (Gun's `owner_down/2`,
 * applied to the owner's exit reason from its `'DOWN'` message):
 *
 *   'normal'   (a plain `close()`)  ──> 'normal'
 *   'shutdown'                      ──> 'shutdown'
 *   anything else (a failure)       ──> GunError GUN_ERR_OWNER_DOWN, cause: reason
 *                                       (Gun's `{shutdown, {owner_down, Reason}}`)
 *
 * Erlang's `{shutdown, Term}` passes through unchanged in Gun; it has no counterpart here and
 * counts as a failure.
 */
export function ownerExitReason(reason: unknown): unknown {
  if (reason === 'normal' || reason === 'shutdown') return reason;
  return new GunError(GunErrors.OWNER_DOWN, `The owner's mailbox closed with a failure reason (${describe(reason)}): Gun's {shutdown, {owner_down, Reason}}.`, { origin: 'local', cause: reason });
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (typeof reason === 'string') return reason;
  return typeof reason;
}

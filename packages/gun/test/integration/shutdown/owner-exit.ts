import { GunErrors } from '../../../src/index.js';

/**
 * What `terminated` resolves with after the owner's mailbox closed with a failure reason: Gun's
 * `{shutdown, {owner_down, Reason}}`, here a GunError `GUN_ERR_OWNER_DOWN` whose cause is the reason.
 */
export function ownerDownWith(reason: unknown): unknown {
  return expect.objectContaining({ code: GunErrors.OWNER_DOWN, origin: 'local', cause: reason });
}

/** The failure reason the shutdown suite's owners exit with (Gun's `exit(unexpected)`). */
export const UNEXPECTED = 'unexpected';

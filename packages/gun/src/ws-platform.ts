import { createHash, randomFillSync } from 'node:crypto';
import type { WsPlatform } from '@gunhttp/tunnel';
import { nodePerMessageDeflate } from './ws-deflate.js';

/**
 * What the layers need of Node for Websocket upgrades (they import no `node:*`): random octets
 * for the `sec-websocket-key` nonce and the masking keys (RFC 6455 §4.1, §5.3), SHA-1 to check
 * `sec-websocket-accept` (§4.2.2), and permessage-deflate on node:zlib (RFC 7692).
 */
export const nodeWsPlatform: WsPlatform = {
  randomBytes: pooledRandomBytes,
  sha1: (bytes) => new Uint8Array(createHash('sha1').update(bytes).digest()),
  deflate: (params) => nodePerMessageDeflate(params),
};

/** Octets drawn from the CSPRNG at once: a masking key per frame is 4 of them (RFC 6455 §5.3). */
const POOL_SIZE = 8192;
const pool = new Uint8Array(POOL_SIZE);
let used = POOL_SIZE;

/**
 * `n` fresh octets from node:crypto's CSPRNG, taken from a pool refilled 8 KiB at a time: one
 * `randomFillSync` call per 2048 masking keys instead of one per frame. Each octet is handed out
 * once; the caller owns the copy it gets.
 */
function pooledRandomBytes(n: number): Uint8Array {
  if (n > POOL_SIZE) return randomFillSync(new Uint8Array(n));
  if (used + n > POOL_SIZE) {
    randomFillSync(pool);
    used = 0;
  }
  used += n;
  return pool.slice(used - n, used);
}

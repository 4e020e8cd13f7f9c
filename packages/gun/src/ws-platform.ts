import { createHash, randomBytes } from 'node:crypto';
import type { WsPlatform } from '@gunhttp/tunnel';
import { nodePerMessageDeflate } from './ws-deflate.js';

/**
 * What the layers need of Node for Websocket upgrades (they import no `node:*`): random octets
 * for the `sec-websocket-key` nonce and the masking keys (RFC 6455 §4.1, §5.3), SHA-1 to check
 * `sec-websocket-accept` (§4.2.2), and permessage-deflate on node:zlib (RFC 7692).
 */
export const nodeWsPlatform: WsPlatform = {
  randomBytes: (n) => new Uint8Array(randomBytes(n)),
  sha1: (bytes) => new Uint8Array(createHash('sha1').update(bytes).digest()),
  deflate: (params) => nodePerMessageDeflate(params),
};

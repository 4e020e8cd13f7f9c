/**
 * permessage-deflate glue over node:zlib for the tests (the codec imports no zlib; the client in
 * @gunhttp/gun owns the production glue).
 *
 * Synchronous context takeover in Node 20: `zlib.deflateRawSync`/`inflateRawSync` start a fresh
 * stream per call, and the streams' internal `_processChunk` closes its handle after one
 * synchronous call, so neither keeps a sliding window between messages. What does: priming each
 * call with the `dictionary` option, holding the last 2^windowBits octets of what went through
 * (our sent plaintext for the compressor, our inflated output for the decompressor). A DEFLATE
 * back-reference can only reach that far back (RFC 1951 §2), so a peer with a continuous stream
 * and we agree byte for byte. No context takeover resets that history.
 */
import * as zlib from 'node:zlib';
import type { DeflateParams, PerMessageDeflate } from '../../src/index.js';

const SYNC = zlib.constants.Z_SYNC_FLUSH;

function append(history: Uint8Array, data: Uint8Array, limit: number): Uint8Array {
  const out = new Uint8Array(Math.min(limit, history.length + data.length));
  const fromData = Math.min(data.length, out.length);
  const fromHistory = out.length - fromData;
  out.set(history.subarray(history.length - fromHistory), 0);
  out.set(data.subarray(data.length - fromData), fromHistory);
  return out;
}

function dictionary(history: Uint8Array): { dictionary?: Uint8Array } {
  return history.length === 0 ? {} : { dictionary: history };
}

export function nodeDeflate(params: DeflateParams, role: 'client' | 'server'): PerMessageDeflate {
  const ownBits = role === 'client' ? params.clientMaxWindowBits : params.serverMaxWindowBits;
  let sent: Uint8Array = new Uint8Array(0);
  let received: Uint8Array = new Uint8Array(0);
  let pending: Uint8Array[] = [];
  return {
    compress(data: Uint8Array): Uint8Array {
      // Gun: best_compression, memLevel 8, default strategy.
      const out = zlib.deflateRawSync(data, { level: 9, memLevel: 8, windowBits: ownBits, finishFlush: SYNC, ...dictionary(sent) });
      sent = append(sent, data, 1 << ownBits);
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    },
    decompress(data: Uint8Array, fin: boolean, maxSize: number): Uint8Array | 'tooLarge' | 'invalid' {
      pending.push(data);
      if (!fin) return new Uint8Array(0);
      const input = Buffer.concat(pending);
      pending = [];
      try {
        const out = zlib.inflateRawSync(input, { windowBits: 15, finishFlush: SYNC, maxOutputLength: Math.max(1, maxSize), ...dictionary(received) });
        if (out.length > maxSize) return 'tooLarge';
        received = append(received, out, 1 << 15);
        return new Uint8Array(out.buffer, out.byteOffset, out.length);
      } catch (error) {
        return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'tooLarge' : 'invalid';
      }
    },
    resetCompressor(): void {
      sent = new Uint8Array(0);
    },
    resetDecompressor(): void {
      received = new Uint8Array(0);
    },
  };
}

/** Gun's usual result: both windows 15, context takeover both ways. */
export const DEFAULT_PARAMS: DeflateParams = {
  serverNoContextTakeover: false,
  clientNoContextTakeover: false,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
};

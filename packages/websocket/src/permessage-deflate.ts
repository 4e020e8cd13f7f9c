import { GunError } from '@gunhttp/core';
import { badArgument, WsErrors } from './errors.js';
import { formatExtension, parseExtensionList } from './extension-header.js';
import type { Extension, ExtensionParam } from './extension-header.js';

/**
 * The compressor and decompressor of one connection, supplied by the caller (the codec imports
 * no zlib). Both are synchronous raw DEFLATE streams (RFC 1951) built with the negotiated window
 * sizes; the codec handles the RFC 7692 framing around them (the 00 00 FF FF tail, RSV1) and
 * calls the reset methods when no context takeover was negotiated.
 */
export interface PerMessageDeflate {
  /** Compresses message data; when `fin`, ends with a sync flush (output ending 00 00 FF FF). */
  compress(data: Uint8Array, fin: boolean): Uint8Array;
  /**
   * Inflates the next part of a message. Output may be held back until `fin` (the codec's last
   * call for a message passes the 00 00 FF FF tail with `fin` true). Returns `'tooLarge'` rather
   * than producing more than `maxSize` octets, `'invalid'` for corrupt data.
   */
  decompress(data: Uint8Array, fin: boolean, maxSize: number): Uint8Array | 'tooLarge' | 'invalid';
  /** Forgets the compressor's sliding window (our side's no_context_takeover). */
  resetCompressor(): void;
  /** Forgets the decompressor's sliding window (the peer's no_context_takeover). */
  resetDecompressor(): void;
}

/** What a client offers (RFC 7692 §7.1). */
export interface DeflateOffer {
  readonly serverNoContextTakeover?: boolean;
  readonly clientNoContextTakeover?: boolean;
  /** 8..15: the largest window the server may use. */
  readonly serverMaxWindowBits?: number;
  /** `true` offers the bare parameter (any size accepted), a number 8..15 a limit we keep to. */
  readonly clientMaxWindowBits?: true | number;
}

/** Gun's offer: `permessage-deflate; client_max_window_bits; server_max_window_bits=15`. */
export const GUN_DEFLATE_OFFER: DeflateOffer = Object.freeze({ clientMaxWindowBits: true, serverMaxWindowBits: 15 });

/** Negotiated parameters (RFC 7692 §7.1); window bits are 9..15 (zlib refuses 8, so 8 becomes 9). */
export interface DeflateParams {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number;
  readonly clientMaxWindowBits: number;
}

/** The outcome of reading the server's `sec-websocket-extensions`. */
export type ExtensionNegotiation =
  | { readonly kind: 'none' }
  | { readonly kind: 'deflate'; readonly params: DeflateParams }
  | { readonly kind: 'error'; readonly error: GunError };

/** The tail a sync flush ends with, removed on send and put back on receive (RFC 7692 §7.2.1, §7.2.2). */
export const DEFLATE_TAIL: Uint8Array = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

const EXTENSION_NAME = 'permessage-deflate';

function checkWindowBits(bits: number, name: string): string {
  if (!Number.isInteger(bits) || bits < 8 || bits > 15) throw badArgument(`${name} must be 8 to 15 (RFC 7692 §7.1.2)`);
  return String(bits);
}

/**
 * Builds a `sec-websocket-extensions` value offering permessage-deflate (RFC 7692 §7.1);
 * Gun's offer by default. Throws `WS_ERR_BAD_ARGUMENT` on window bits outside 8..15.
 */
export function buildExtensionOffer(offer: DeflateOffer = GUN_DEFLATE_OFFER): string {
  const params: ExtensionParam[] = [];
  if (offer.serverNoContextTakeover === true) params.push({ name: 'server_no_context_takeover' });
  if (offer.clientNoContextTakeover === true) params.push({ name: 'client_no_context_takeover' });
  if (offer.clientMaxWindowBits === true) params.push({ name: 'client_max_window_bits' });
  else if (offer.clientMaxWindowBits !== undefined) {
    params.push({ name: 'client_max_window_bits', value: checkWindowBits(offer.clientMaxWindowBits, 'client_max_window_bits') });
  }
  if (offer.serverMaxWindowBits !== undefined) {
    params.push({ name: 'server_max_window_bits', value: checkWindowBits(offer.serverMaxWindowBits, 'server_max_window_bits') });
  }
  return formatExtension({ name: EXTENSION_NAME, params });
}

function refuse(message: string): ExtensionNegotiation {
  return { kind: 'error', error: new GunError(WsErrors.INVALID_EXTENSIONS, message, { origin: 'remote', wsCloseCode: 1002 }) };
}

/** window bits value: 1*DIGIT without leading zeros, 8..15 (RFC 7692 §7.1.2.1). */
function windowBits(param: ExtensionParam): number | null {
  if (param.value === undefined || !/^(?:[89]|1[0-5])$/.test(param.value)) return null;
  return Math.max(9, Number(param.value));
}

interface ResponseParams {
  serverNoContextTakeover: boolean;
  clientNoContextTakeover: boolean;
  serverMaxWindowBits?: number;
  clientMaxWindowBits?: number;
}

/** Reads the response's parameters; a string is the reason to refuse (RFC 7692 §7.1). */
function readParams(ext: Extension, offer: DeflateOffer): ResponseParams | string {
  const out: ResponseParams = { serverNoContextTakeover: false, clientNoContextTakeover: false };
  const seen = new Set<string>();
  for (const p of ext.params) {
    if (seen.has(p.name)) return `Duplicate ${p.name} in the permessage-deflate response (RFC 7692 §7)`;
    seen.add(p.name);
    switch (p.name) {
      case 'server_no_context_takeover':
      case 'client_no_context_takeover':
        if (p.value !== undefined) return `${p.name} takes no value (RFC 7692 §7.1.1)`;
        if (p.name === 'server_no_context_takeover') out.serverNoContextTakeover = true;
        else out.clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits':
      case 'client_max_window_bits': {
        const bits = windowBits(p);
        if (bits === null) return `${p.name} must be 8 to 15 in a response (RFC 7692 §7.1.2)`;
        if (p.name === 'server_max_window_bits') out.serverMaxWindowBits = bits;
        else if (offer.clientMaxWindowBits === undefined) return 'client_max_window_bits was not offered (RFC 7692 §7.1.2.2)';
        else out.clientMaxWindowBits = bits;
        break;
      }
      default:
        return `Unknown permessage-deflate parameter ${p.name} (RFC 7692 §7)`;
    }
  }
  return out;
}

/** Checks the response against the offer and fills in defaults (RFC 7692 §7.1.1, §7.1.2). */
function settle(r: ResponseParams, offer: DeflateOffer): DeflateParams | string {
  if (offer.serverNoContextTakeover === true && !r.serverNoContextTakeover) {
    return 'An accepted server_no_context_takeover offer is echoed in the response (RFC 7692 §7.1.1.1)';
  }
  const offeredServer = offer.serverMaxWindowBits;
  if (offeredServer !== undefined && offeredServer < 15 && r.serverMaxWindowBits === undefined) {
    return 'An accepted server_max_window_bits offer is echoed in the response (RFC 7692 §7.1.2.1)';
  }
  if (offeredServer !== undefined && (r.serverMaxWindowBits ?? 15) > Math.max(9, offeredServer)) {
    return 'server_max_window_bits exceeds the offered value (RFC 7692 §7.1.2.1)';
  }
  const offeredClient = typeof offer.clientMaxWindowBits === 'number' ? Math.max(9, offer.clientMaxWindowBits) : 15;
  if ((r.clientMaxWindowBits ?? 0) > offeredClient) return 'client_max_window_bits exceeds the offered value (RFC 7692 §7.1.2.2)';
  return {
    serverNoContextTakeover: r.serverNoContextTakeover,
    clientNoContextTakeover: r.clientNoContextTakeover || offer.clientNoContextTakeover === true,
    serverMaxWindowBits: r.serverMaxWindowBits ?? 15,
    clientMaxWindowBits: r.clientMaxWindowBits ?? offeredClient,
  };
}

/**
 * Reads the server's `sec-websocket-extensions` (one value, or every field line's value) against
 * what we offered (`null`: nothing was offered). Only permessage-deflate, once, with known,
 * non-duplicated parameters within the offer is accepted (RFC 6455 §9.1, RFC 7692 §7.1);
 * anything else is `WS_ERR_INVALID_EXTENSIONS`, and the client fails the connection.
 */
export function parseExtensionResponse(value: string | readonly string[] | undefined, offer: DeflateOffer | null): ExtensionNegotiation {
  const text = typeof value === 'string' ? value : (value ?? []).join(', ');
  const list = parseExtensionList(text);
  if (list.kind !== 'ok') return list.kind === 'error' ? { kind: 'error', error: list.error } : refuse('Truncated extension list');
  if (list.value.length === 0) return { kind: 'none' };
  if (list.value.length > 1) return refuse('The server accepted more extensions than the one permessage-deflate offered (RFC 6455 §9.1)');
  const ext = list.value[0]!;
  if (ext.name !== EXTENSION_NAME || offer === null) return refuse(`Extension ${ext.name} was not offered (RFC 6455 §9.1)`);
  const read = readParams(ext, offer);
  if (typeof read === 'string') return refuse(read);
  const params = settle(read, offer);
  return typeof params === 'string' ? refuse(params) : { kind: 'deflate', params };
}

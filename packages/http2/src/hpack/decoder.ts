import { GunError, type HeaderList } from '@gunhttp/core';
import { Http2Errors, connectionError, streamError } from '../errors.js';
import { DynamicTable } from './dynamic-table.js';
import { DEFAULT_HEADER_TABLE_SIZE } from './encoder.js';
import { decodeInteger, type Cursor } from './integer.js';
import { markNeverIndexed } from './never-indexed.js';
import { STATIC_TABLE, STATIC_TABLE_LENGTH } from './static-table.js';
import { decodeString } from './string-literal.js';

/**
 * Default cap on a decoded header list, in octets counted as RFC 9113 §6.5.2 does (name + value
 * + 32 per field): 256 KiB is far above real responses and keeps a small block from inflating
 * into a huge list through dynamic-table references.
 */
export const DEFAULT_MAX_HEADER_LIST_SIZE = 262144;
/** Default cap on the number of fields in one block: Cowlib's 100 (ENHANCE_YOUR_CALM above it). */
export const DEFAULT_MAX_HEADER_FIELDS = 100;

/** Options of {@link HpackDecoder}. */
export interface HpackDecoderOptions {
  /**
   * Largest dynamic table size the peer may select, in octets: our SETTINGS_HEADER_TABLE_SIZE
   * (default 4096). A size update above it is a COMPRESSION_ERROR (RFC 7541 §6.3).
   */
  readonly maxTableSize?: number;
  /** Cap on the decoded list in octets (name + value + 32 per field; default 262144). */
  readonly maxHeaderListSize?: number;
  /** Cap on the number of fields in one block (default 100, as Cowlib). */
  readonly maxHeaderFields?: number;
}

/** Outcome of {@link HpackDecoder.tryDecode}. */
export type DecodeResult =
  | { readonly kind: 'ok'; readonly headers: HeaderList }
  | { readonly kind: 'error'; readonly error: GunError };

function compression(what: string): GunError {
  return connectionError(Http2Errors.COMPRESSION, `${what} (RFC 7541)`, 'COMPRESSION_ERROR');
}

/**
 * HPACK decoder (RFC 7541 §3, §6): turns header blocks into header lists, keeping the dynamic
 * table in step with the peer's encoder. Values come out as latin1 strings; names exactly as
 * sent (validation of case is the connection's job, RFC 9113 §8.2.1). Fields sent as
 * never-indexed literals are marked (`isNeverIndexed`) so re-encoding keeps them so.
 *
 * Errors:
 * - `H2_ERR_COMPRESSION` (h2Code COMPRESSION_ERROR, scope connection): truncated or invalid
 *   representation, bad index, bad Huffman code, table size update above the limit, not at the
 *   start of the block, or missing after the limit was lowered.
 * - `H2_ERR_HEADER_BLOCK_TOO_LARGE` (ENHANCE_YOUR_CALM, connection): more than `maxHeaderFields` fields.
 * - `H2_ERR_HEADER_LIST_TOO_LARGE` (PROTOCOL_ERROR, scope stream): the list exceeds
 *   `maxHeaderListSize`; the whole block is still decoded so the table stays in step.
 */
export class HpackDecoder {
  private readonly table = new DynamicTable(DEFAULT_HEADER_TABLE_SIZE);
  private readonly cursor: Cursor = { pos: 0 };
  private limit: number;
  /** Set when the limit was lowered below the table's size: the next block must start with an update. */
  private updateRequired = false;
  private readonly maxListSize: number;
  private readonly maxFields: number;

  constructor(options: HpackDecoderOptions = {}) {
    this.limit = options.maxTableSize ?? DEFAULT_HEADER_TABLE_SIZE;
    this.updateRequired = this.limit < DEFAULT_HEADER_TABLE_SIZE;
    this.maxListSize = options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE;
    this.maxFields = options.maxHeaderFields ?? DEFAULT_MAX_HEADER_FIELDS;
  }

  /** The largest table size the peer may select (octets). */
  get maxTableSize(): number {
    return this.limit;
  }

  /** Current dynamic table size in octets (RFC 7541 §4.1). */
  get tableSize(): number {
    return this.table.size;
  }

  /**
   * Sets the largest table size the peer may select, once it acknowledged our
   * SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §4.2). Lowering it below the table's current maximum
   * requires the peer's next block to start with a size update.
   */
  setMaxTableSize(size: number): void {
    this.limit = size;
    if (size < this.table.maxSize) this.updateRequired = true;
  }

  /**
   * Decodes one complete header block.
   * @throws GunError as listed on the class.
   */
  decode(block: Uint8Array): HeaderList {
    const result = this.tryDecode(block);
    if (result.kind === 'error') throw result.error;
    return result.headers;
  }

  /** Decodes one complete header block; errors are returned, never thrown. */
  tryDecode(block: Uint8Array): DecodeResult {
    const cursor = this.cursor;
    cursor.pos = 0;
    const headers: HeaderList = [];
    let listSize = 0;
    let fields = 0;
    let started = false;
    while (cursor.pos < block.length) {
      const first = block[cursor.pos]!;
      if ((first & 0xe0) === 0x20) {
        if (started) return { kind: 'error', error: compression('A dynamic table size update MUST occur at the beginning of a block (§4.2)') };
        const error = this.sizeUpdate(block);
        if (error !== undefined) return { kind: 'error', error };
        continue;
      }
      if (this.updateRequired) return { kind: 'error', error: compression('The block MUST start with a dynamic table size update (§4.2)') };
      started = true;
      const field = this.field(block, first);
      if (field instanceof GunError) return { kind: 'error', error: field };
      fields += 1;
      if (fields > this.maxFields) {
        return { kind: 'error', error: connectionError(Http2Errors.HEADER_BLOCK_TOO_LARGE, `A header block holds more than ${this.maxFields} fields`, 'ENHANCE_YOUR_CALM') };
      }
      listSize += field[0].length + field[1].length + 32;
      if (listSize <= this.maxListSize) headers.push(field);
    }
    if (this.updateRequired) return { kind: 'error', error: compression('The block MUST start with a dynamic table size update (§4.2)') };
    if (listSize > this.maxListSize) {
      return { kind: 'error', error: streamError(Http2Errors.HEADER_LIST_TOO_LARGE, `The header list exceeds ${this.maxListSize} octets (RFC 9113 §6.5.2)`) };
    }
    return { kind: 'ok', headers };
  }

  private sizeUpdate(block: Uint8Array): GunError | undefined {
    const size = decodeInteger(block, this.cursor, 5);
    if (size < 0) return compression('Truncated dynamic table size update (§6.3)');
    if (size > this.limit) return compression('A dynamic table size update MUST NOT exceed the acknowledged limit (§6.3)');
    this.table.resize(size);
    if (size <= this.limit) this.updateRequired = false;
    return undefined;
  }

  private entry(index: number): readonly [string, string] | undefined {
    if (index <= STATIC_TABLE_LENGTH) return STATIC_TABLE[index - 1];
    return this.table.get(index - STATIC_TABLE_LENGTH);
  }

  /** One field representation (RFC 7541 §6.1, §6.2). */
  private field(block: Uint8Array, first: number): HeaderList[number] | GunError {
    const cursor = this.cursor;
    if ((first & 0x80) !== 0) {
      const index = decodeInteger(block, cursor, 7);
      const entry = index > 0 ? this.entry(index) : undefined;
      if (entry === undefined) return compression(`Invalid index ${index} in an indexed header field (§6.1)`);
      return [entry[0], entry[1]];
    }
    const indexing = (first & 0xc0) === 0x40;
    const prefix = indexing ? 6 : 4;
    const index = decodeInteger(block, cursor, prefix);
    if (index < 0) return compression('Truncated literal header field (§6.2)');
    const name = index === 0 ? decodeString(block, cursor) : this.entry(index)?.[0];
    if (name === undefined) return compression(`Invalid name index or string in a literal header field (§6.2)`);
    const value = decodeString(block, cursor);
    if (value === undefined) return compression('Invalid string literal (§5.2)');
    const field: [string, string] = [name, value];
    if (indexing) this.table.add(name, value);
    else if ((first & 0xf0) === 0x10) markNeverIndexed(field);
    return field;
  }
}

import type { HeaderList } from '@gunhttp/core';
import { ByteWriter } from './byte-writer.js';
import { DynamicTable } from './dynamic-table.js';
import { encodeInteger } from './integer.js';
import { isNeverIndexed } from './never-indexed.js';
import { STATIC_NAME_INDEX, STATIC_PAIR_INDEX, STATIC_TABLE_LENGTH } from './static-table.js';
import { encodeString, type HuffmanPolicy } from './string-literal.js';

/** Initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2), the size both ends start with. */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;

/**
 * Cookie values shorter than this are never indexed: short secrets are the ones a compression
 * oracle (CRIME-like, RFC 7541 §7.1.3) recovers fastest; longer cookies are indexed as usual.
 */
const SHORT_COOKIE = 20;

/** Fields whose values rarely repeat, so indexing them only evicts useful entries. */
const NOT_INDEXED = new Set([
  'content-length', 'content-range', 'date', 'etag', 'if-modified-since', 'if-none-match', 'if-range', 'last-modified', 'location', 'age', 'range',
]);

/** Options of {@link HpackEncoder}. */
export interface HpackEncoderOptions {
  /**
   * Size of the dynamic table in octets (default 4096, the protocol's initial size). Another
   * value is announced with a size update at the start of the first block (RFC 7541 §6.3).
   */
  readonly maxTableSize?: number;
  /** When to Huffman-code strings (default `shorter`; a boolean means `always` / `never`). */
  readonly huffman?: HuffmanPolicy | boolean;
}

function policyOf(option: HuffmanPolicy | boolean | undefined): HuffmanPolicy {
  if (option === true) return 'always';
  if (option === false) return 'never';
  return option ?? 'shorter';
}

/** Whether a field must be a never-indexed literal (RFC 7541 §7.1.3): credentials and short cookies. */
function isSensitive(field: HeaderList[number]): boolean {
  const [name, value] = field;
  if (name === 'authorization' || name === 'proxy-authorization') return true;
  if (name === 'cookie' && value.length < SHORT_COOKIE) return true;
  return isNeverIndexed(field);
}

/**
 * HPACK encoder (RFC 7541 §6): turns header lists into header blocks, keeping a dynamic table in
 * step with the peer's decoder. Indexes repeated fields; never indexes `authorization`,
 * `proxy-authorization`, cookies shorter than 20 octets and fields marked with
 * `markNeverIndexed` (or decoded as never-indexed); does not index fields that rarely repeat
 * (`content-length`, `date`, `etag`, ...) or entries larger than three quarters of the table.
 *
 * Names must be lowercase and values latin1 strings (as `HeaderList` promises); the encoder does
 * not validate them.
 */
export class HpackEncoder {
  private readonly table: DynamicTable;
  private readonly writer = new ByteWriter();
  private readonly huffman: HuffmanPolicy;
  /** `name\0value` → sequence number of the newest dynamic entry with that pair. */
  private readonly pairs = new Map<string, number>();
  /** name → sequence number of the newest dynamic entry with that name. */
  private readonly names = new Map<string, number>();
  /** Size updates to emit at the start of the next block: smallest, then final (RFC 7541 §4.2). */
  private pendingUpdate: { min: number; final: number } | undefined;
  private readonly onEvict = (seq: number, name: string, value: string): void => {
    const key = `${name}\0${value}`;
    if (this.pairs.get(key) === seq) this.pairs.delete(key);
    if (this.names.get(name) === seq) this.names.delete(name);
  };

  constructor(options: HpackEncoderOptions = {}) {
    const size = options.maxTableSize ?? DEFAULT_HEADER_TABLE_SIZE;
    this.table = new DynamicTable(size);
    this.huffman = policyOf(options.huffman);
    if (size !== DEFAULT_HEADER_TABLE_SIZE) this.pendingUpdate = { min: size, final: size };
  }

  /** Current dynamic table size limit in octets. */
  get maxTableSize(): number {
    return this.table.maxSize;
  }

  /**
   * Changes the dynamic table size (octets), for example to follow the peer's
   * SETTINGS_HEADER_TABLE_SIZE; the change is signalled at the start of the next block.
   */
  setMaxTableSize(size: number): void {
    const min = Math.min(size, this.pendingUpdate?.min ?? size);
    if (this.pendingUpdate === undefined && size === this.table.maxSize) return;
    this.pendingUpdate = { min, final: size };
    this.table.resize(min, this.onEvict);
    this.table.resize(size, this.onEvict);
  }

  /** Encodes one header block (RFC 7541 §6). Returns a new array. */
  encode(headers: HeaderList): Uint8Array {
    const w = this.writer;
    if (this.pendingUpdate !== undefined) {
      const { min, final } = this.pendingUpdate;
      if (min < final) encodeInteger(w, min, 5, 0x20);
      encodeInteger(w, final, 5, 0x20);
      this.pendingUpdate = undefined;
    }
    for (const field of headers) this.encodeField(field);
    return w.finish();
  }

  private dynamicIndex(seq: number | undefined): number | undefined {
    return seq === undefined ? undefined : STATIC_TABLE_LENGTH + this.table.inserted - seq;
  }

  private encodeField(field: HeaderList[number]): void {
    const [name, value] = field;
    const w = this.writer;
    const key = `${name}\0${value}`;
    const nameIndex = STATIC_NAME_INDEX.get(name) ?? this.dynamicIndex(this.names.get(name)) ?? 0;
    if (isSensitive(field)) {
      this.literal(0x10, 4, nameIndex, name, value);
      return;
    }
    const index = STATIC_PAIR_INDEX.get(key) ?? this.dynamicIndex(this.pairs.get(key));
    if (index !== undefined) {
      encodeInteger(w, index, 7, 0x80);
      return;
    }
    if (NOT_INDEXED.has(name) || DynamicTable.entrySize(name, value) * 4 > this.table.maxSize * 3) {
      this.literal(0x00, 4, nameIndex, name, value);
      return;
    }
    this.literal(0x40, 6, nameIndex, name, value);
    this.table.add(name, value, this.onEvict);
    const seq = this.table.inserted - 1;
    this.pairs.set(key, seq);
    this.names.set(name, seq);
  }

  private literal(pattern: number, prefix: number, nameIndex: number, name: string, value: string): void {
    encodeInteger(this.writer, nameIndex, prefix, pattern);
    if (nameIndex === 0) encodeString(this.writer, name, this.huffman);
    encodeString(this.writer, value, this.huffman);
  }
}

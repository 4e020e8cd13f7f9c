import type { HeaderList } from '@gunhttp/core';
import { ByteWriter } from './byte-writer.js';
import { DynamicTable } from './dynamic-table.js';
import { encodeInteger, MAX_INTEGER_OCTETS, writeInteger } from './integer.js';
import { isNeverIndexed } from './never-indexed.js';
import { STATIC_NAMES, STATIC_TABLE_LENGTH, type StaticName } from './static-table.js';
import { encodeString, type HuffmanPolicy } from './string-literal.js';

/** Initial SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.2), the size both ends start with. */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;

/**
 * Cookie values shorter than this are never indexed: short secrets are the ones a compression
 * oracle (CRIME-like, RFC 7541 §7.1.3) recovers fastest; longer cookies are indexed as usual.
 */
const SHORT_COOKIE = 20;

/** Fields whose values rarely repeat, so indexing them only evicts useful entries. */
const NOT_INDEXED = [
  'content-length', 'content-range', 'date', 'etag', 'if-modified-since', 'if-none-match', 'if-range', 'last-modified', 'location', 'age', 'range',
];

/**
 * How the encoder treats a name's fields: index them (`index`), never index credentials
 * (`credential`) nor cookies shorter than {@link SHORT_COOKIE} (`cookie`), or send rarely
 * repeating fields without indexing (`skip`).
 */
type Indexing = 'index' | 'credential' | 'cookie' | 'skip';

/** What the encoder knows of a name before any block: its static entries and its indexing rule. */
interface NameRule extends StaticName {
  readonly indexing: Indexing;
}

const DEFAULT_RULE: NameRule = { index: 0, values: undefined, indexing: 'index' };

function nameRules(): ReadonlyMap<string, NameRule> {
  const rules = new Map<string, NameRule>();
  const set = (name: string, indexing: Indexing): void => {
    const { index, values } = STATIC_NAMES.get(name) ?? DEFAULT_RULE;
    rules.set(name, { index, values, indexing });
  };
  for (const name of STATIC_NAMES.keys()) set(name, 'index');
  for (const name of NOT_INDEXED) set(name, 'skip');
  set('authorization', 'credential');
  set('proxy-authorization', 'credential');
  set('cookie', 'cookie');
  return rules;
}

/** name → its rule; names absent from it get {@link DEFAULT_RULE}. */
const NAME_RULES = nameRules();

/** The dynamic entries of one name: the newest one's sequence number, and value → sequence number. */
interface DynamicName {
  newest: number;
  readonly values: Map<string, number>;
}

/** First-octet patterns of the literal representations (RFC 7541 §6.2.1-§6.2.3). */
const INCREMENTAL = 0x40;
const WITHOUT_INDEXING = 0x00;
const NEVER_INDEXED = 0x10;

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
function isSensitive(rule: NameRule, field: HeaderList[number]): boolean {
  if (rule.indexing === 'credential') return true;
  if (rule.indexing === 'cookie' && field[1].length < SHORT_COOKIE) return true;
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
  /** name → its entries in the dynamic table; a name leaves when its newest entry is evicted. */
  private readonly dynamic = new Map<string, DynamicName>();
  /** Size updates to emit at the start of the next block: smallest, then final (RFC 7541 §4.2). */
  private pendingUpdate: { min: number; final: number } | undefined;
  /** Entries leave oldest first, so when a name's newest entry goes, all of that name's are gone. */
  private readonly onEvict = (seq: number, name: string, value: string): void => {
    const entry = this.dynamic.get(name);
    if (entry === undefined) return;
    if (entry.newest === seq) this.dynamic.delete(name);
    else if (entry.values.get(value) === seq) entry.values.delete(value);
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

  /**
   * Encodes one header block (RFC 7541 §6). The block is a view into a buffer this encoder's
   * blocks share (no allocation per block); its octets never change once returned.
   */
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

  /** Index (RFC 7541 §2.3.3) of the dynamic entry with sequence number `seq`. */
  private dynamicIndex(seq: number): number {
    return STATIC_TABLE_LENGTH + this.table.inserted - seq;
  }

  private encodeField(field: HeaderList[number]): void {
    const name = field[0];
    const value = field[1];
    const rule = NAME_RULES.get(name) ?? DEFAULT_RULE;
    const dynamic = this.dynamic.get(name);
    if (isSensitive(rule, field)) {
      this.literal(NEVER_INDEXED, 4, this.nameIndex(rule, dynamic), name, value);
      return;
    }
    const staticIndex = rule.values?.get(value);
    if (staticIndex !== undefined) {
      this.indexed(staticIndex);
      return;
    }
    const seq = dynamic?.values.get(value);
    if (seq !== undefined) {
      this.indexed(this.dynamicIndex(seq));
      return;
    }
    const nameIndex = this.nameIndex(rule, dynamic);
    if (rule.indexing === 'skip' || DynamicTable.entrySize(name, value) * 4 > this.table.maxSize * 3) {
      this.literal(WITHOUT_INDEXING, 4, nameIndex, name, value);
      return;
    }
    this.literal(INCREMENTAL, 6, nameIndex, name, value);
    this.table.add(name, value, this.onEvict);
    const added = this.table.inserted - 1;
    if (dynamic === undefined) {
      this.dynamic.set(name, { newest: added, values: new Map([[value, added]]) });
    } else {
      dynamic.newest = added;
      dynamic.values.set(value, added);
    }
  }

  /** Index of the name (RFC 7541 §6.2): the static one first, else the newest dynamic one, else 0. */
  private nameIndex(rule: NameRule, dynamic: DynamicName | undefined): number {
    if (rule.index !== 0) return rule.index;
    return dynamic === undefined ? 0 : this.dynamicIndex(dynamic.newest);
  }

  /** Indexed header field representation (RFC 7541 §6.1). */
  private indexed(index: number): void {
    const w = this.writer;
    w.end = writeInteger(w.reserve(MAX_INTEGER_OCTETS), w.end, index, 7, 0x80);
  }

  /** Literal header field representation (RFC 7541 §6.2) with `pattern` in a `prefix`-bit first octet. */
  private literal(pattern: number, prefix: number, nameIndex: number, name: string, value: string): void {
    const w = this.writer;
    w.end = writeInteger(w.reserve(MAX_INTEGER_OCTETS), w.end, nameIndex, prefix, pattern);
    if (nameIndex === 0) encodeString(w, name, this.huffman);
    encodeString(w, value, this.huffman);
  }
}

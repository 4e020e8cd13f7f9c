/**
 * The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of entries, newest first, whose size is
 * the sum of name length + value length + 32 octets per entry, kept at or below `maxSize` by
 * evicting the oldest entries (§4.4). Stored as a ring so insertion and eviction are O(1).
 */
export class DynamicTable {
  private names: string[] = [];
  private values: string[] = [];
  /** Index in the ring of the oldest entry. */
  private head = 0;
  /** Number of entries. */
  count = 0;
  /** Current size in octets (RFC 7541 §4.1). */
  size = 0;
  /** Total number of entries ever inserted: gives entries a stable sequence number. */
  inserted = 0;

  constructor(public maxSize: number) {}

  /** Size of an entry (RFC 7541 §4.1); names and values are latin1, one char per octet. */
  static entrySize(name: string, value: string): number {
    return name.length + value.length + 32;
  }

  /** Entry `index` (1 = newest) as [name, value], or `undefined` past the end. */
  get(index: number): readonly [string, string] | undefined {
    if (index < 1 || index > this.count) return undefined;
    const slot = (this.head + this.count - index) % this.names.length;
    return [this.names[slot]!, this.values[slot]!];
  }

  /** Name of entry `index` (1 = newest). */
  nameAt(index: number): string | undefined {
    if (index < 1 || index > this.count) return undefined;
    return this.names[(this.head + this.count - index) % this.names.length];
  }

  /**
   * Adds an entry (RFC 7541 §4.4), evicting old ones first; an entry larger than `maxSize`
   * empties the table and is not added. `onEvict` hears each evicted entry's sequence number.
   */
  add(name: string, value: string, onEvict?: (seq: number, name: string, value: string) => void): void {
    const size = DynamicTable.entrySize(name, value);
    this.evictTo(this.maxSize - size, onEvict);
    this.inserted += 1;
    if (size > this.maxSize) return;
    if (this.count === this.names.length) this.grow();
    const slot = (this.head + this.count) % this.names.length;
    this.names[slot] = name;
    this.values[slot] = value;
    this.count += 1;
    this.size += size;
  }

  /** Changes the maximum size (RFC 7541 §4.3), evicting as needed. */
  resize(maxSize: number, onEvict?: (seq: number, name: string, value: string) => void): void {
    this.maxSize = maxSize;
    this.evictTo(maxSize, onEvict);
  }

  private evictTo(limit: number, onEvict?: (seq: number, name: string, value: string) => void): void {
    while (this.count > 0 && this.size > Math.max(limit, 0)) {
      const name = this.names[this.head]!;
      const value = this.values[this.head]!;
      this.size -= DynamicTable.entrySize(name, value);
      onEvict?.(this.inserted - this.count, name, value);
      this.head = (this.head + 1) % this.names.length;
      this.count -= 1;
    }
  }

  private grow(): void {
    const capacity = Math.max(8, this.names.length * 2);
    const names: string[] = new Array<string>(capacity);
    const values: string[] = new Array<string>(capacity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.names.length;
      names[i] = this.names[slot]!;
      values[i] = this.values[slot]!;
    }
    this.names = names;
    this.values = values;
    this.head = 0;
  }
}

// The part of hpack.js 2.1.6 (no types published) the codec benchmarks use.
declare module 'hpack.js' {
  interface HpackField {
    name: string;
    value: string;
    neverIndex?: boolean;
    huffman?: boolean;
  }
  interface TableOptions {
    /** Dynamic table size in octets; without it the table never evicts. */
    table: { maxSize: number };
  }
  /** A Duplex: write a list of fields, read() the block. */
  interface Compressor {
    write(fields: HpackField[]): boolean;
    read(): Uint8Array | null;
  }
  /** A Duplex: write a block, execute(), read() one field at a time. */
  interface Decompressor {
    write(block: Uint8Array): boolean;
    execute(): void;
    read(): HpackField | null;
  }
  export const compressor: { create(options: TableOptions): Compressor };
  export const decompressor: { create(options: TableOptions): Decompressor };
}

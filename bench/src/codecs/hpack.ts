// HPACK encode and decode of one page load (header-sets.ts): ours against hpack.js. Each
// iteration is one connection: fresh contexts, then the 20 requests through one and the 20
// responses through the other, in order, so the dynamic tables fill as on a real connection.
import { HpackDecoder, HpackEncoder } from '@gunhttp/http2';
import * as hpackJs from 'hpack.js';
import type { HpackField } from 'hpack.js';
import { REQUESTS, RESPONSES } from './header-sets';
import type { Workload } from './harness';

type HeaderList = Array<[string, string]>;

/**
 * hpack.js keeps a dynamic table of `maxSize` octets; left out, the table never evicts and its
 * indices stop matching any other decoder's, so it is set to the protocol's 4096 like ours.
 */
const TABLE = { table: { maxSize: 4096 } };
const SEQUENCES: ReadonlyArray<readonly HeaderList[]> = [REQUESTS, RESPONSES];
const FIELDS = SEQUENCES.flat().reduce((n, list) => n + list.length, 0);
const BLOCKS = SEQUENCES.reduce((n, seq) => n + seq.length, 0);

const toFields = (list: HeaderList): HpackField[] => list.map(([name, value]) => ({ name, value }));
const SEQUENCE_FIELDS: ReadonlyArray<readonly HpackField[][]> = SEQUENCES.map((seq) => seq.map(toFields));

function oursEncode(seq: readonly HeaderList[]): Uint8Array[] {
  const enc = new HpackEncoder();
  return seq.map((list) => enc.encode(list));
}

function theirsEncode(seq: readonly HpackField[][]): Uint8Array[] {
  const comp = hpackJs.compressor.create(TABLE);
  return seq.map((fields) => {
    comp.write(fields);
    return comp.read() ?? new Uint8Array(0);
  });
}

function oursDecode(blocks: readonly Uint8Array[]): HeaderList[] {
  const dec = new HpackDecoder();
  return blocks.map((b) => dec.decode(b));
}

function theirsDecode(blocks: readonly Uint8Array[]): HeaderList[] {
  const decomp = hpackJs.decompressor.create(TABLE);
  return blocks.map((b) => {
    decomp.write(b);
    decomp.execute();
    const list: HeaderList = [];
    for (let f = decomp.read(); f !== null; f = decomp.read()) list.push([f.name, f.value]);
    return list;
  });
}

function sameLists(what: string, got: readonly HeaderList[], want: readonly HeaderList[]): void {
  want.forEach((list, i) => {
    const g = got[i] ?? [];
    const bad = list.findIndex(([n, v], k) => g[k]?.[0] !== n || g[k]?.[1] !== v);
    if (bad !== -1 || g.length !== list.length) {
      throw new Error(`HPACK check failed: ${what}, block ${i}, field ${bad === -1 ? list.length : bad}: got ${JSON.stringify(g[bad])}, want ${JSON.stringify(list[bad])}`);
    }
  });
}

/** Each side decodes its own encoding and the other's back to the input; throws otherwise. */
export function checkHpack(): string {
  SEQUENCES.forEach((seq, s) => {
    const ours = oursEncode(seq);
    const theirs = theirsEncode(SEQUENCE_FIELDS[s]!);
    sameLists('ours → ours', oursDecode(ours), seq);
    sameLists('hpack.js → hpack.js', theirsDecode(theirs), seq);
    sameLists('ours → hpack.js', theirsDecode(ours), seq);
    sameLists('hpack.js → ours', oursDecode(theirs), seq);
  });
  const size = (blocks: Uint8Array[][]): number => blocks.flat().reduce((n, b) => n + b.length, 0);
  const raw = SEQUENCES.flat(2).reduce((n, [name, value]) => n + name.length + value.length + 4, 0);
  const ours = size(SEQUENCES.map(oursEncode));
  const theirs = size(SEQUENCE_FIELDS.map(theirsEncode));
  return `HPACK: ${BLOCKS} blocks, ${FIELDS} fields, ~${raw} octets as HTTP/1.1 lines; encoded by ours in ${ours} octets, by hpack.js in ${theirs}; all four encoder → decoder pairs decode back to the input.`;
}

function encodeAll(seqs: readonly (readonly HeaderList[])[]): Uint8Array[][] {
  return seqs.map(oursEncode);
}

/** hpack.js' streams copy a Uint8Array that is not a Buffer on every write: hand it Buffer views. */
const asBuffer = (b: Uint8Array): Uint8Array => Buffer.from(b.buffer, b.byteOffset, b.length);

function decodeWorkload(id: string, title: string, blocks: readonly Uint8Array[][]): Workload {
  const buffers = blocks.map((seq) => seq.map(asBuffer));
  return {
    id, title, unit: 'fields/s', perIteration: FIELDS, also: { unit: 'blocks/s', perIteration: BLOCKS }, target: 3,
    ours: {
      name: 'gunhttp',
      run: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) for (const seq of blocks) sum += oursDecode(seq).length;
        return sum;
      },
    },
    theirs: {
      name: 'hpack.js',
      run: (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) for (const seq of buffers) sum += theirsDecode(seq).length;
        return sum;
      },
    },
  };
}

export function hpackWorkloads(): Workload[] {
  const theirBlocks = SEQUENCE_FIELDS.map(theirsEncode);
  return [
    {
      id: 'hpack-encode', title: 'HPACK encode, 20 requests + 20 responses', unit: 'fields/s', perIteration: FIELDS,
      also: { unit: 'blocks/s', perIteration: BLOCKS }, target: 3,
      ours: {
        name: 'gunhttp',
        run: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) for (const seq of SEQUENCES) for (const b of oursEncode(seq)) sum += b.length;
          return sum;
        },
      },
      theirs: {
        name: 'hpack.js',
        run: (n) => {
          let sum = 0;
          for (let i = 0; i < n; i++) for (const seq of SEQUENCE_FIELDS) for (const b of theirsEncode(seq)) sum += b.length;
          return sum;
        },
      },
    },
    decodeWorkload('hpack-decode', 'HPACK decode, blocks from our encoder', encodeAll(SEQUENCES)),
    decodeWorkload('hpack-decode-theirs', 'HPACK decode, blocks from hpack.js', theirBlocks),
  ];
}

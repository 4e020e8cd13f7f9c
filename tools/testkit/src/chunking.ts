/**
 * The chunking harness (DESIGN §7): a parser must decode the same events whatever the way its
 * input is cut into chunks. {@link expectEventsForAllChunkings} feeds the same bytes whole, byte
 * by byte, split in two at every offset and split at seeded random offsets, each time into a
 * fresh machine, and compares the (normalised) events with the expected ones.
 */

/** The part of a sans-I/O machine the harness drives. */
export interface ChunkableMachine<E> {
  receive(chunk: Uint8Array): E[];
  receiveEof?(): E[];
}

/** Options of {@link expectEventsForAllChunkings}. */
export interface ChunkingOptions<E> {
  /** Call `receiveEof()` after the last chunk and include its events. */
  eof?: boolean;
  /** Maps the events before comparison (for example {@link coalesceData}); default: identity. */
  normalize?: (events: E[]) => unknown;
  /** Number of random split patterns (default 20); seeded, so runs are deterministic. */
  randomSplits?: number;
  /** Seed of the random splits (default 1). */
  seed?: number;
  /** Also run every chunking with these bytes appended (e.g. the start of a next message). */
  trailing?: Uint8Array;
  /** The events expected with `trailing` appended, when they differ (default: `expected`). */
  trailingExpected?: unknown;
}

/** One way of cutting the input. */
export interface Chunking {
  name: string;
  chunks: Uint8Array[];
}

/** Above this size the 2-way splits are sampled instead of exhaustive. */
const EXHAUSTIVE_SPLIT_LIMIT = 512;
/** Number of sampled 2-way split offsets for large inputs. */
const SAMPLED_SPLITS = 128;

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Copies a slice so that no chunk shares memory with another (parsers may keep views). */
function piece(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, start, end);
}

function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(piece(bytes, start, offset));
    start = offset;
  }
  chunks.push(piece(bytes, start, bytes.length));
  return chunks;
}

function twoWayOffsets(length: number): number[] {
  if (length <= 1) return [];
  if (length <= EXHAUSTIVE_SPLIT_LIMIT) return Array.from({ length: length - 1 }, (_, i) => i + 1);
  const offsets = new Set<number>();
  for (let i = 1; i <= 32; i++) {
    offsets.add(i);
    offsets.add(length - i);
  }
  for (let i = 0; i < SAMPLED_SPLITS; i++) offsets.add(1 + Math.floor(((length - 2) * i) / SAMPLED_SPLITS));
  return [...offsets].sort((a, b) => a - b);
}

/**
 * Every chunking of `bytes`: whole, byte by byte, each 2-way split (all of them up to 512 octets,
 * a sample above) and `randomSplits` seeded random multi-way splits. Chunks are fresh copies.
 */
export function* chunkings(bytes: Uint8Array, randomSplits = 20, seed = 1): Generator<Chunking> {
  yield { name: 'whole', chunks: [piece(bytes, 0, bytes.length)] };
  if (bytes.length > 1) {
    yield { name: 'byte by byte', chunks: Array.from({ length: bytes.length }, (_, i) => piece(bytes, i, i + 1)) };
  }
  for (const offset of twoWayOffsets(bytes.length)) {
    yield { name: `split at ${offset}`, chunks: splitAt(bytes, [offset]) };
  }
  const random = prng(seed);
  for (let r = 0; r < randomSplits && bytes.length > 1; r++) {
    const count = 1 + Math.floor(random() * Math.min(bytes.length - 1, 16));
    const offsets = new Set<number>();
    for (let i = 0; i < count; i++) offsets.add(1 + Math.floor(random() * (bytes.length - 1)));
    const sorted = [...offsets].sort((a, b) => a - b);
    yield { name: `random split #${r} at [${sorted.join(', ')}]`, chunks: splitAt(bytes, sorted) };
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function run<E>(make: () => ChunkableMachine<E>, chunks: readonly Uint8Array[], eof: boolean): E[] {
  const machine = make();
  const events: E[] = [];
  for (const chunk of chunks) events.push(...machine.receive(chunk));
  if (eof) {
    if (machine.receiveEof === undefined) throw new Error('eof: true needs a machine with receiveEof()');
    events.push(...machine.receiveEof());
  }
  return events;
}

function named(error: unknown, name: string): unknown {
  if (error instanceof Error) {
    error.message = `chunking "${name}": ${error.message}`;
    return error;
  }
  return new Error(`chunking "${name}": ${String(error)}`);
}

/**
 * Feeds `bytes` to a fresh machine from `make` for every chunking (see {@link chunkings}), and, with
 * `trailing`, every chunking of `bytes + trailing` (expecting `trailingExpected` when given);
 * asserts with jest's `expect` that the normalised events equal `expected`. A failure names the
 * chunking.
 */
export function expectEventsForAllChunkings<E>(
  make: () => ChunkableMachine<E>,
  bytes: Uint8Array,
  expected: unknown,
  options: ChunkingOptions<E> = {},
): void {
  const normalize = options.normalize ?? ((events: E[]): unknown => events);
  const inputs: Array<[string, Uint8Array, unknown]> = [['', bytes, expected]];
  if (options.trailing !== undefined) {
    const withTrailing = 'trailingExpected' in options ? options.trailingExpected : expected;
    inputs.push([' + trailing', concat(bytes, options.trailing), withTrailing]);
  }
  for (const [suffix, input, want] of inputs) {
    for (const { name, chunks } of chunkings(input, options.randomSplits ?? 20, options.seed ?? 1)) {
      try {
        runnerExpect()(normalize(run(make, chunks, options.eof === true))).toEqual(want);
      } catch (error) {
        throw named(error, name + suffix);
      }
    }
  }
}

/**
 * The test runner's global `expect`, looked up when called: the testkit is also loaded outside
 * jest (benchmarks), where importing jest's types or `@jest/globals` is not possible.
 */
function runnerExpect(): (actual: unknown) => { toEqual(expected: unknown): void } {
  const expect = (globalThis as { expect?: (actual: unknown) => { toEqual(expected: unknown): void } }).expect;
  if (expect === undefined) throw new Error('expectEventsForAllChunkings needs a test runner with a global expect (jest).');
  return expect;
}

/** The fields of a data event the harness knows about. */
interface DataLike {
  type: 'data';
  data: Uint8Array;
  fin?: boolean;
}

function isData(event: unknown): event is DataLike {
  return typeof event === 'object' && event !== null && (event as { type?: unknown }).type === 'data'
    && (event as { data?: unknown }).data instanceof Uint8Array;
}

/** Whether two data events belong to the same stream: every field but `data` and `fin` is equal. */
function sameStream(a: DataLike, b: DataLike): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === 'data' || key === 'fin') continue;
    if ((a as unknown as Record<string, unknown>)[key] !== (b as unknown as Record<string, unknown>)[key]) return false;
  }
  return true;
}

/**
 * Merges consecutive `data` events of the same stream (same `id`, `streamId`, ... — every field
 * but `data` and `fin`) into one, concatenating `data` and keeping the last `fin`, so that where
 * the body was split does not matter. A data event after one with `fin: true` is not merged.
 */
export function coalesceData<E>(events: readonly E[]): E[] {
  const out: E[] = [];
  for (const event of events) {
    const last = out[out.length - 1];
    if (isData(event) && isData(last) && last.fin !== true && sameStream(last, event)) {
      out[out.length - 1] = { ...last, data: concat(last.data, event.data), fin: event.fin } as E;
    } else {
      out.push(event);
    }
  }
  return out;
}

import { chunkings, coalesceData, expectEventsForAllChunkings } from '../src/chunking.js';

type Ev = { type: 'line'; text: string } | { type: 'data'; id: number; data: Uint8Array; fin: boolean } | { type: 'eof' };

/** A toy line splitter: one event per LF-terminated line. */
class Lines {
  private buffer = '';
  receive(chunk: Uint8Array): Ev[] {
    this.buffer += String.fromCharCode(...chunk);
    const out: Ev[] = [];
    let i: number;
    while ((i = this.buffer.indexOf('\n')) !== -1) {
      out.push({ type: 'line', text: this.buffer.slice(0, i) });
      this.buffer = this.buffer.slice(i + 1);
    }
    return out;
  }
  receiveEof(): Ev[] {
    return [{ type: 'eof' }];
  }
}

/** Echoes every chunk as a data event: the result depends on the split unless coalesced. */
class Echo {
  receive(chunk: Uint8Array): Ev[] {
    return [{ type: 'data', id: 1, data: chunk, fin: false }];
  }
}

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('chunkings', () => {
  it('yields whole, byte by byte, every 2-way split and the random splits, all reassembling the input', () => {
    const input = bytes('abcdef');
    const all = [...chunkings(input, 5, 7)];
    expect(all.map((c) => c.name).slice(0, 3)).toEqual(['whole', 'byte by byte', 'split at 1']);
    expect(all).toHaveLength(2 + 5 + 5);
    for (const { chunks } of all) expect(Buffer.concat(chunks)).toEqual(Buffer.from(input));
  });

  it('is deterministic for a seed', () => {
    const a = [...chunkings(bytes('0123456789abcdef'), 10, 3)].map((c) => c.name);
    const b = [...chunkings(bytes('0123456789abcdef'), 10, 3)].map((c) => c.name);
    expect(a).toEqual(b);
  });

  it('samples the 2-way splits of large inputs', () => {
    const all = [...chunkings(new Uint8Array(10000), 0)];
    expect(all.length).toBeLessThan(300);
  });
});

describe('expectEventsForAllChunkings', () => {
  it('passes when every chunking gives the expected events', () => {
    expectEventsForAllChunkings(() => new Lines(), bytes('a\nbc\n'), [
      { type: 'line', text: 'a' },
      { type: 'line', text: 'bc' },
    ]);
  });

  it('appends the eof events and runs with trailing bytes', () => {
    expectEventsForAllChunkings(() => new Lines(), bytes('a\n'), [{ type: 'line', text: 'a' }], { trailing: bytes('partial') });
    expectEventsForAllChunkings(() => new Lines(), bytes('a\n'), [{ type: 'line', text: 'a' }, { type: 'eof' }], { eof: true });
  });

  it('fails naming the chunking when events depend on the split', () => {
    expect(() => expectEventsForAllChunkings(() => new Echo(), bytes('ab'), [{ type: 'data', id: 1, data: bytes('ab'), fin: false }]))
      .toThrow(/chunking "byte by byte"/);
  });

  it('passes split-dependent data events once coalesced', () => {
    expectEventsForAllChunkings(() => new Echo(), bytes('abc'), [{ type: 'data', id: 1, data: bytes('abc'), fin: false }], {
      normalize: coalesceData,
    });
  });
});

describe('coalesceData', () => {
  it('merges consecutive data events of one stream, keeping the last fin', () => {
    const out = coalesceData<Ev>([
      { type: 'data', id: 1, data: bytes('a'), fin: false },
      { type: 'data', id: 1, data: bytes('b'), fin: true },
      { type: 'data', id: 2, data: bytes('c'), fin: false },
      { type: 'eof' },
      { type: 'data', id: 2, data: bytes('d'), fin: false },
    ]);
    expect(out).toEqual([
      { type: 'data', id: 1, data: bytes('ab'), fin: true },
      { type: 'data', id: 2, data: bytes('c'), fin: false },
      { type: 'eof' },
      { type: 'data', id: 2, data: bytes('d'), fin: false },
    ]);
  });

  it('does not merge a data event into one that already ended its stream', () => {
    const out = coalesceData<Ev>([
      { type: 'data', id: 1, data: bytes('a'), fin: true },
      { type: 'data', id: 1, data: bytes('b'), fin: false },
    ]);
    expect(out).toHaveLength(2);
  });
});

describe('expectEventsForAllChunkings with trailingExpected', () => {
  it('compares the trailing runs with trailingExpected', () => {
    expectEventsForAllChunkings(() => new Lines(), bytes('a\n'), [{ type: 'line', text: 'a' }], {
      trailing: bytes('b\n'),
      trailingExpected: [{ type: 'line', text: 'a' }, { type: 'line', text: 'b' }],
    });
    expect(() => expectEventsForAllChunkings(() => new Lines(), bytes('a\n'), [{ type: 'line', text: 'a' }], { trailing: bytes('b\n') }))
      .toThrow(/chunking "whole \+ trailing"/);
  });
});

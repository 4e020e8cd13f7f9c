import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { concat, frames, SERVER_SETTINGS, serverEncoder, summary, withRequest, startedWithGet } from '../helpers.js';

function split(block: Uint8Array, parts: number): Uint8Array[] {
  const size = Math.ceil(block.length / parts);
  return Array.from({ length: parts }, (_, i) => block.subarray(i * size, (i + 1) * size));
}

describe('RFC 9113 §4.3 field section compression and decompression', () => {
  it('reassembles a header block across CONTINUATION frames on every chunking', () => {
    const enc = serverEncoder();
    const headers: Array<[string, string]> = [[':status', '200'], ['x-a', 'b'.repeat(50)], ['x-c', 'd']];
    const [a, b, c] = split(enc.encode(headers), 3);
    const bytes = concat(SERVER_SETTINGS, frames(
      { type: 'headers', streamId: 1, fragment: a!, endHeaders: false, endStream: true },
      { type: 'continuation', streamId: 1, fragment: b!, endHeaders: false },
      { type: 'continuation', streamId: 1, fragment: c! },
    ));
    expectEventsForAllChunkings(startedWithGet, bytes, [
      { type: 'settings', settings: expect.anything() },
      { type: 'response', streamId: 1, status: 200, headers, endStream: true },
    ], { normalize: summary });
  });

  it.each([
    ['a DATA frame', { type: 'data' as const, streamId: 1, data: new Uint8Array(1) }],
    ['a CONTINUATION of another stream', { type: 'continuation' as const, streamId: 3, fragment: new Uint8Array(0) }],
    ['an unknown frame type', { type: 'unknown' as const, streamId: 0, frameType: 0xee, flags: 0, payload: new Uint8Array(0) }],
  ])('treats %s inside a header block as a PROTOCOL_ERROR connection error (§6.10)', (_name, frame) => {
    const { h2, enc } = withRequest();
    const events = h2.receive(frames({ type: 'headers', streamId: 1, fragment: enc.encode([[':status', '200']]), endHeaders: false }, frame));
    expect(summary(events)).toEqual([{ type: 'error', code: 'H2_ERR_PROTOCOL', h2Code: 'PROTOCOL_ERROR', scope: 'connection' }]);
  });

  it('treats a CONTINUATION without a preceding HEADERS as a PROTOCOL_ERROR connection error (§6.10)', () => {
    const { h2 } = withRequest();
    const events = h2.receive(frames({ type: 'continuation', streamId: 1, fragment: new Uint8Array([0x88]) }));
    expect(summary(events)).toEqual([{ type: 'error', code: 'H2_ERR_PROTOCOL', h2Code: 'PROTOCOL_ERROR', scope: 'connection' }]);
  });

  function block(fragmentSizes: number[]): Uint8Array {
    const enc = serverEncoder();
    const head = enc.encode([[':status', '200']]);
    const total = fragmentSizes.reduce((a, b) => a + b, 0);
    // A literal without indexing (name "x") whose value fills the block to `total` octets.
    let literal: Uint8Array = new Uint8Array(0);
    for (let v = total - head.length - 3; v >= 0; v--) {
      literal = concat(new Uint8Array([0x00, 0x01, 0x78]), stringLength(v), new Uint8Array(v).fill(0x61));
      if (literal.length === total - head.length) break;
    }
    const all = concat(head, literal);
    const out: Uint8Array[] = [];
    let o = 0;
    for (const s of fragmentSizes) {
      out.push(all.subarray(o, o + s));
      o += s;
    }
    return frames(...out.map((fragment, i) => (i === 0
      ? { type: 'headers' as const, streamId: 1, fragment, endHeaders: out.length === 1, endStream: true }
      : { type: 'continuation' as const, streamId: 1, fragment, endHeaders: i === out.length - 1 })));
  }

  function stringLength(n: number): Uint8Array {
    if (n < 127) return new Uint8Array([n]);
    const out: number[] = [0x7f];
    let rest = n - 127;
    while (rest >= 128) {
      out.push((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    out.push(rest);
    return new Uint8Array(out);
  }

  it('accepts a fragmented header block of exactly maxFragmentedHeaderBlockSize (32768, Gun)', () => {
    const { h2 } = withRequest();
    expect(h2.receive(block([16384, 16384])).map((e) => e.type)).toEqual(['response']);
  });

  it('refuses a fragmented header block of 32769 octets with ENHANCE_YOUR_CALM', () => {
    const { h2 } = withRequest();
    expect(summary(h2.receive(block([16384, 16384, 1])))).toEqual([
      { type: 'error', code: 'H2_ERR_HEADER_BLOCK_TOO_LARGE', h2Code: 'ENHANCE_YOUR_CALM', scope: 'connection' },
    ]);
  });

  it('limits the number of fragments (CONTINUATION flood): N accepted, N+1 refused', () => {
    const ok = withRequest({ maxHeaderBlockFragments: 4 });
    expect(ok.h2.receive(block([100, 0, 0, 1])).map((e) => e.type)).toEqual(['response']);
    const bad = withRequest({ maxHeaderBlockFragments: 4 });
    expect(summary(bad.h2.receive(block([100, 0, 0, 0, 1])))).toEqual([
      { type: 'error', code: 'H2_ERR_HEADER_BLOCK_TOO_LARGE', h2Code: 'ENHANCE_YOUR_CALM', scope: 'connection' },
    ]);
  });

  it('treats an undecodable header block as a COMPRESSION_ERROR connection error (§4.3)', () => {
    const { h2 } = withRequest();
    expect(summary(h2.receive(frames({ type: 'headers', streamId: 1, fragment: new Uint8Array([0x80]) })))).toEqual([
      { type: 'error', code: 'H2_ERR_COMPRESSION', h2Code: 'COMPRESSION_ERROR', scope: 'connection' },
    ]);
  });
});

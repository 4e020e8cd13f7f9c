import fc from 'fast-check';
import { concatBytes } from '@gunhttp/core';
import { SseParser } from '../src/content-handlers/sse-parser.js';
import type { SseParserEvent, SseParserOptions } from '../src/content-handlers/sse-parser.js';

const norm = (events: SseParserEvent[]): unknown[] => events.map((e) => (e.type === 'event' ? e.event : { error: e.error.code }));

/** Feeds the chunks, then the end of the stream. */
function parse(chunks: readonly Uint8Array[], options?: SseParserOptions): unknown[] {
  const parser = new SseParser(options);
  const events = chunks.flatMap((c) => parser.receive(c));
  return norm([...events, ...parser.receiveEof()]);
}

/** Cuts `bytes` at the given offsets (taken modulo the length, sorted, deduplicated). */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => (bytes.length === 0 ? 0 : o % (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.slice(start, p));
    start = p;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

/** Bytes biased towards what matters to the grammar: line ends, colons, spaces, field names, BOM, NUL. */
const piece = fc.oneof(
  fc.uint8Array({ maxLength: 8 }),
  fc.constantFrom('\r', '\n', '\r\n', ':', ' ', 'data', 'data:', 'id:', 'event:', 'retry:', '12', '\0', '\uFEFF', 'é', '😀')
    .map((s) => new TextEncoder().encode(s)),
  fc.constantFrom(Uint8Array.of(0xef), Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xe2, 0x82), Uint8Array.of(0xff)),
);
const streamBytes = fc.array(piece, { maxLength: 60 }).map((parts) => concatBytes(parts));
const offsets = fc.array(fc.nat({ max: 10_000 }), { maxLength: 20 });
const limits = fc.constantFrom<SseParserOptions | undefined>(undefined, { maxLineLength: 6 }, { maxDataSize: 5 }, { maxLineLength: 12, maxDataSize: 9 });

describe('SSE parser properties (WHATWG HTML §9.2.5, §9.2.6)', () => {
  it('arbitrary bytes never throw, and every chunking gives the events of the whole stream', () => {
    fc.assert(
      fc.property(streamBytes, offsets, limits, (bytes, at, options) => {
        const whole = parse([bytes], options);
        expect(parse(cut(bytes, at), options)).toEqual(whole);
        expect(parse(cut(bytes, Array.from({ length: bytes.length }, (_, i) => i)), options)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('an error is always the last event', () => {
    fc.assert(
      fc.property(streamBytes, limits, (bytes, options) => {
        const events = parse([bytes], options);
        const i = events.findIndex((e) => typeof e === 'object' && e !== null && 'error' in e);
        expect(i === -1 || i === events.length - 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  /** Field values: any text without line ends (and without NUL, so that ids are kept). */
  const value = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\r\n\0]/g, '_'));
  const block = fc.record({
    comment: fc.option(value, { nil: undefined }),
    id: fc.option(value, { nil: undefined }),
    event: fc.option(value, { nil: undefined }),
    retry: fc.option(fc.nat({ max: 100_000 }), { nil: undefined }),
    data: fc.array(value, { maxLength: 3 }),
  });
  type Block = typeof block extends fc.Arbitrary<infer B> ? B : never;

  /** What WHATWG §9.2.6 plus Gun's lone id make of the blocks. */
  function model(blocks: readonly Block[]): unknown[] {
    const events: unknown[] = [];
    let lastEventId = '';
    let retry: number | undefined;
    for (const b of blocks) {
      if (b.id !== undefined) lastEventId = b.id;
      if (b.retry !== undefined) retry = b.retry;
      if (b.data.length === 0) {
        if (b.id !== undefined) events.push({ lastEventId: b.id });
        continue;
      }
      const eventType = b.event === undefined || b.event === '' ? 'message' : b.event;
      events.push({ lastEventId, eventType, data: b.data.join('\n'), ...(retry === undefined ? {} : { retry }) });
    }
    return events;
  }

  function serialize(blocks: readonly Block[], eol: string, bom: boolean): Uint8Array {
    const lines: string[] = [];
    for (const b of blocks) {
      if (b.comment !== undefined) lines.push(`:${b.comment}`);
      if (b.id !== undefined) lines.push(`id: ${b.id}`);
      if (b.event !== undefined) lines.push(`event: ${b.event}`);
      if (b.retry !== undefined) lines.push(`retry: ${b.retry}`);
      for (const d of b.data) lines.push(`data: ${d}`);
      lines.push('');
    }
    return new TextEncoder().encode((bom ? '\uFEFF' : '') + lines.map((l) => l + eol).join(''));
  }

  it('a serialised event stream parses back to its events, whatever the chunking, line ends and BOM', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), fc.constantFrom('\n', '\r', '\r\n'), fc.boolean(), offsets, (blocks, eol, bom, at) => {
        const bytes = serialize(blocks, eol, bom);
        expect(parse(cut(bytes, at))).toEqual(model(blocks));
      }),
      { numRuns: 300 },
    );
  });
});

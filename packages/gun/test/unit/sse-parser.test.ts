import { GunError } from '@gunhttp/core';
import { chunkings, expectEventsForAllChunkings } from '@gunhttp/testkit';
import { GunErrors } from '../../src/errors.js';
import { SseErrors } from '../../src/content-handlers/errors.js';
import { DEFAULT_SSE_MAX_DATA_SIZE, DEFAULT_SSE_MAX_LINE_LENGTH, SseParser } from '../../src/content-handlers/sse-parser.js';
import type { SseParserEvent, SseParserOptions } from '../../src/content-handlers/sse-parser.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const octets = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...text(p)] : p)));

/** Events as plain values; errors as their code. */
const norm = (events: SseParserEvent[]): unknown[] => events.map((e) => (e.type === 'event' ? e.event : { error: e.error.code }));

const msg = (data: string, lastEventId = '', eventType = 'message'): unknown => ({ lastEventId, eventType, data });

interface Case {
  name: string;
  bytes: Uint8Array;
  events: unknown[];
  options?: SseParserOptions;
}

function check(c: Case): void {
  expectEventsForAllChunkings(() => new SseParser(c.options), c.bytes, c.events, { eof: true, normalize: norm });
}

describe('WHATWG HTML §9.2.6 examples, on every chunking', () => {
  const cases: Case[] = [
    {
      name: 'data lines are joined by LF into one message event',
      bytes: text('data: YHOO\ndata: +2\ndata: 10\n\n'),
      events: [msg('YHOO\n+2\n10')],
    },
    {
      name: 'comments are ignored; id persists until reset by an empty id',
      bytes: text(': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n'),
      events: [msg('first event', '1'), msg('second event', ''), msg(' third event', '')],
    },
    {
      name: 'a data field without value adds an empty line; an unfinished event is discarded',
      bytes: text('data\n\ndata\ndata\n\ndata:\n'),
      events: [msg(''), msg('\n')],
    },
    {
      name: 'one space after the colon is removed, only one',
      bytes: text('data:test\n\ndata: test\n\ndata:  test\n\n'),
      events: [msg('test'), msg('test'), msg(' test')],
    },
    {
      name: 'event sets the type, reset after each dispatch',
      bytes: text('event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\ndata: 113411\n\n'),
      events: [msg('73857293', '', 'add'), msg('2153', '', 'remove'), msg('113411')],
    },
  ];
  it.each(cases)('$name', check);
});

describe('WHATWG HTML §9.2.5 line ends and BOM, on every chunking', () => {
  const cases: Case[] = [
    { name: 'CRLF, LF and CR all end lines', bytes: text('data: a\r\ndata: b\rdata: c\n\r\n'), events: [msg('a\nb\nc')] },
    { name: 'CR CR is two line ends (a dispatch)', bytes: text('data: a\r\rdata: b\r\r'), events: [msg('a'), msg('b')] },
    { name: 'LF CR is two line ends', bytes: text('data: a\n\rdata: b\n\n'), events: [msg('a'), msg('b')] },
    { name: 'CRLF CRLF dispatches once', bytes: text('data: a\r\n\r\n\r\n'), events: [msg('a')] },
    { name: 'a leading BOM is dropped', bytes: text('\uFEFFdata: a\n\n'), events: [msg('a')] },
    { name: 'only one BOM is dropped: a second one starts the field name', bytes: text('\uFEFF\uFEFFdata: a\n\ndata: b\n\n'), events: [msg('b')] },
    { name: 'a BOM elsewhere is content', bytes: text('data: \uFEFFa\n\n'), events: [msg('\uFEFFa')] },
    { name: 'octets that start like a BOM but are not one are kept', bytes: octets([0xef, 0xbb], 'data: a\n\ndata: b\n\n'), events: [msg('b')] },
    { name: 'EF alone at the start is kept', bytes: octets([0xef], '\ndata: a\n\n'), events: [msg('a')] },
  ];
  it.each(cases)('$name', check);
});

describe('WHATWG HTML §9.2.6 fields, on every chunking', () => {
  const cases: Case[] = [
    { name: 'a value may hold colons', bytes: text('data: a:b: c\n\n'), events: [msg('a:b: c')] },
    { name: 'field names are case-sensitive', bytes: text('Data: a\nDATA: b\n\n'), events: [] },
    { name: 'unknown fields are ignored', bytes: text('foo: bar\ndata: a\nbaz\n\n'), events: [msg('a')] },
    { name: 'an event without data is not dispatched, and its type is dropped', bytes: text('event: x\n\ndata: a\n\n'), events: [msg('a')] },
    { name: 'a blank line alone dispatches nothing', bytes: text('\n\n\r\n'), events: [] },
    { name: 'a comment line inside an event is skipped', bytes: text('data: a\n:keepalive\ndata: b\n\n'), events: [msg('a\nb')] },
    { name: 'an id holding U+0000 is ignored', bytes: text('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n'), events: [msg('a', '1'), msg('b', '1')] },
    { name: 'the last event id persists across events', bytes: text('id: 7\ndata: a\n\ndata: b\n\n'), events: [msg('a', '7'), msg('b', '7')] },
    { name: 'the last id in a block wins', bytes: text('id: 1\nid: 2\ndata: a\n\n'), events: [msg('a', '2')] },
    {
      name: 'retry of ASCII digits sets the reconnection time, carried by the events after it',
      bytes: text('retry: 5000\ndata: a\n\ndata: b\n\nretry: 250\n\ndata: c\n\n'),
      events: [{ ...(msg('a') as object), retry: 5000 }, { ...(msg('b') as object), retry: 5000 }, { ...(msg('c') as object), retry: 250 }],
    },
    {
      name: 'retry that is not only ASCII digits is ignored',
      bytes: text('retry: 5x\nretry:\nretry: -1\nretry:  10\nretry: 1e3\nretry: ١٢\ndata: a\n\n'),
      events: [msg('a')],
    },
    { name: 'retry beyond 2^53 - 1 is ignored', bytes: text('retry: 99999999999999999999\ndata: a\n\n'), events: [msg('a')] },
    { name: 'retry with leading zeros is decimal', bytes: text('retry: 0010\ndata: a\n\n'), events: [{ ...(msg('a') as object), retry: 10 }] },
    { name: 'multi-octet UTF-8 is decoded whatever the chunk boundaries', bytes: text('event: ünï\ndata: €😀 ok\n\n'), events: [msg('€😀 ok', '', 'ünï')] },
    { name: 'invalid UTF-8 becomes U+FFFD', bytes: octets('data: a', [0xff], 'b\n\n'), events: [msg('a\uFFFDb')] },
    { name: 'a sequence cut by a line end becomes U+FFFD', bytes: octets('data: ', [0xe2, 0x82], '\ndata: x\n\n'), events: [msg('\uFFFD\nx')] },
    { name: 'a line without its end at EOF is discarded', bytes: text('data: a\n\ndata: b'), events: [msg('a')] },
    { name: 'an event without its blank line at EOF is discarded', bytes: text('data: a\n\ndata: b\n'), events: [msg('a')] },
  ];
  it.each(cases)('$name', check);
});

describe("Gun's lone id (cow_sse, Gun 1.1 sse_SUITE:lone_id), on every chunking", () => {
  const cases: Case[] = [
    {
      name: 'a block with only an id gives an event holding only lastEventId',
      bytes: text('id: 1\n\ndata: data\n\nid: 2\n\n'),
      events: [{ lastEventId: '1' }, msg('data', '1'), { lastEventId: '2' }],
    },
    {
      name: 'the event type of a block without data is dropped, a repeated id is sent again',
      bytes: text('id: 1\n\nevent: message\n\nid: 1\n\nid: 2\n\n'),
      events: [{ lastEventId: '1' }, { lastEventId: '1' }, { lastEventId: '2' }],
    },
    { name: 'an empty id alone is sent too', bytes: text('id: 1\n\nid\n\n'), events: [{ lastEventId: '1' }, { lastEventId: '' }] },
    { name: 'an ignored id (U+0000) gives no lone event', bytes: text('id: a\u0000\n\n'), events: [] },
    { name: 'retry alone gives no event', bytes: text('retry: 10\n\n'), events: [] },
  ];
  it.each(cases)('$name', check);
});

describe('limits (tested at N and N + 1)', () => {
  it('has documented defaults', () => {
    expect(DEFAULT_SSE_MAX_LINE_LENGTH).toBe(4 * 1024 * 1024);
    expect(DEFAULT_SSE_MAX_DATA_SIZE).toBe(16 * 1024 * 1024);
  });

  const lineOf = (n: number): string => `data: ${'x'.repeat(n - 6)}`;
  const cases: Case[] = [
    { name: 'a line of maxLineLength octets is accepted', options: { maxLineLength: 16 }, bytes: text(`data: a\n\n${lineOf(16)}\n\n`), events: [msg('a'), msg('x'.repeat(10))] },
    {
      name: 'a line of maxLineLength + 1 octets is GUN_ERR_SSE_LINE_TOO_LONG, after the events before it',
      options: { maxLineLength: 16 },
      bytes: text(`data: a\n\n${lineOf(17)}\n\ndata: b\n\n`),
      events: [msg('a'), { error: SseErrors.LINE_TOO_LONG }],
    },
    {
      name: 'an unterminated line is refused as soon as it exceeds maxLineLength',
      options: { maxLineLength: 16 },
      bytes: text(`data: a\n\n${lineOf(40)}`),
      events: [msg('a'), { error: SseErrors.LINE_TOO_LONG }],
    },
    { name: 'the line end does not count in the line length', options: { maxLineLength: 7 }, bytes: text('data: a\r\n\r\n'), events: [msg('a')] },
    { name: 'comments count in the line length', options: { maxLineLength: 4 }, bytes: text(':abc\n:abcd\n'), events: [{ error: SseErrors.LINE_TOO_LONG }] },
    {
      name: 'data of maxDataSize octets (values joined by LF) is accepted',
      options: { maxDataSize: 7 },
      bytes: text('data: abc\ndata: def\n\n'),
      events: [msg('abc\ndef')],
    },
    {
      name: 'data of maxDataSize + 1 octets is GUN_ERR_SSE_DATA_TOO_LARGE',
      options: { maxDataSize: 7 },
      bytes: text('data: a\n\ndata: abc\ndata: defg\n\ndata: b\n\n'),
      events: [msg('a'), { error: SseErrors.DATA_TOO_LARGE }],
    },
    { name: 'the data size counts octets, not characters', options: { maxDataSize: 5 }, bytes: text('data: €€\n\n'), events: [{ error: SseErrors.DATA_TOO_LARGE }] },
    { name: 'the data size restarts at each event', options: { maxDataSize: 3 }, bytes: text('data: abc\n\ndata: def\n\n'), events: [msg('abc'), msg('def')] },
  ];
  it.each(cases)('$name', check);

  it('delivers the error as a remote GunError and then ignores everything, the end included', () => {
    const parser = new SseParser({ maxLineLength: 4 });
    const events = parser.receive(text('data: toolong\n'));
    expect(events).toHaveLength(1);
    const error = events[0]?.type === 'error' ? events[0].error : undefined;
    expect(error).toBeInstanceOf(GunError);
    expect(error?.origin).toBe('remote');
    expect(parser.state).toBe('failed');
    expect(parser.receive(text('\n\ndata: a\n\n'))).toEqual([]);
    expect(parser.receiveEof()).toEqual([]);
    expect(parser.state).toBe('failed');
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a limit of %p with GUN_ERR_INVALID_OPTION', (n) => {
    for (const options of [{ maxLineLength: n }, { maxDataSize: n }]) {
      expect(() => new SseParser(options)).toThrow(expect.objectContaining({ code: GunErrors.INVALID_OPTION, origin: 'local' }));
    }
  });
});

describe('parser state', () => {
  it('goes bom → line → afterCr → line → ended', () => {
    const parser = new SseParser();
    expect(parser.state).toBe('bom');
    parser.receive(octets([0xef, 0xbb]));
    expect(parser.state).toBe('bom');
    parser.receive(octets([0xbf], 'data: a'));
    expect(parser.state).toBe('line');
    parser.receive(text('\r'));
    expect(parser.state).toBe('afterCr');
    expect(norm(parser.receive(text('\n\n')))).toEqual([msg('a')]);
    expect(parser.state).toBe('line');
    parser.receiveEof();
    expect(parser.state).toBe('ended');
  });

  it('keeps the last event id and the reconnection time', () => {
    const parser = new SseParser();
    expect(parser.lastEventId).toBe('');
    expect(parser.retry).toBeUndefined();
    parser.receive(text('id: 9\nretry: 300\n\n'));
    expect(parser.lastEventId).toBe('9');
    expect(parser.retry).toBe(300);
  });

  it('receive after receiveEof is a caller error (GUN_ERR_BAD_STATE)', () => {
    const parser = new SseParser();
    parser.receiveEof();
    expect(() => parser.receive(text('data: a\n\n'))).toThrow(expect.objectContaining({ code: GunErrors.BAD_STATE, origin: 'local' }));
  });

  it('an empty chunk changes nothing', () => {
    const parser = new SseParser();
    expect(parser.receive(new Uint8Array(0))).toEqual([]);
    expect(parser.state).toBe('bom');
  });

  it('does not keep views of the chunks it was given', () => {
    const parser = new SseParser();
    const chunk = text('data: abc');
    parser.receive(chunk);
    chunk.fill(0x7a);
    expect(norm(parser.receive(text('\n\n')))).toEqual([msg('abc')]);
  });

  it('handles a long stream in one pass with the same events as any chunking', () => {
    const body = Array.from({ length: 200 }, (_, i) => `id: ${i}\r\nevent: e${i % 3}\r\ndata: ${'v'.repeat(i)}\r\n\r\n`).join('');
    const bytes = text(body);
    const want = norm(new SseParser().receive(bytes));
    expect(want).toHaveLength(200);
    for (const { chunks } of chunkings(bytes, 5)) {
      const parser = new SseParser();
      expect(norm(chunks.flatMap((c) => parser.receive(c)))).toEqual(want);
    }
  });
});

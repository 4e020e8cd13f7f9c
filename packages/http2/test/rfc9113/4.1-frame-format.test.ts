import { ByteQueue } from '@gunhttp/core';
import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import {
  parseFrame, serializeFrame, serializeRawFrame, type Frame, type FrameInput,
} from '../../src/index.js';
import { concat, frames, headersFrame, serverEncoder, SERVER_SETTINGS, SETTINGS_ACK, summary, startedWithGet } from '../helpers.js';

const all: FrameInput[] = [
  { type: 'data', streamId: 1, data: new Uint8Array([1, 2, 3]), endStream: true },
  { type: 'data', streamId: 1, data: new Uint8Array([1, 2, 3]), padLength: 4 },
  { type: 'headers', streamId: 3, fragment: new Uint8Array([0x82]), endStream: true, endHeaders: false },
  { type: 'headers', streamId: 3, fragment: new Uint8Array([0x82]), padLength: 2, priority: { exclusive: true, dependency: 1, weight: 15 } },
  { type: 'priority', streamId: 5, priority: { exclusive: false, dependency: 3, weight: 255 } },
  { type: 'rstStream', streamId: 5, errorCode: 8 },
  { type: 'settings', settings: [[1, 100], [4, 70000]] },
  { type: 'settings', ack: true },
  { type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: new Uint8Array([0x82]), padLength: 1 },
  { type: 'ping', opaque: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), ack: true },
  { type: 'goAway', lastStreamId: 7, errorCode: 2, debugData: new Uint8Array([9]) },
  { type: 'windowUpdate', streamId: 0, increment: 0x7fffffff },
  { type: 'continuation', streamId: 3, fragment: new Uint8Array([0x84]) },
  { type: 'unknown', streamId: 0, frameType: 0xfa, flags: 0xff, payload: new Uint8Array([1]) },
];

describe('RFC 9113 §4.1 frame format and §6 frame definitions', () => {
  it.each(all.map((f) => [f.type, f] as const))('parses what serializeFrame writes: %s', (_t, input) => {
    const bytes = serializeFrame(input);
    const r = parseFrame(bytes);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.consumed).toBe(bytes.length);
    expect(serializeFrame(r.value)).toEqual(bytes);
  });

  it('returns more for a partial frame and consumes nothing from a queue', () => {
    const bytes = serializeFrame(all[0]!);
    const q = new ByteQueue();
    q.push(bytes.subarray(0, bytes.length - 1));
    expect(parseFrame(q).kind).toBe('more');
    expect(q.length).toBe(bytes.length - 1);
    q.push(bytes.subarray(bytes.length - 1));
    expect(parseFrame(q).kind).toBe('ok');
    expect(q.length).toBe(0);
  });

  it('clears the reserved bit of the stream identifier (§4.1)', () => {
    const r = parseFrame(serializeRawFrame(0x8, 0, 0, new Uint8Array([0, 0, 0, 1])).map((b, i) => (i === 5 ? 0x80 : b)));
    expect(r).toMatchObject({ kind: 'ok', value: { type: 'windowUpdate', streamId: 0, increment: 1 } });
  });

  it('gives DATA payloads as views of the input, without copying', () => {
    const bytes = serializeFrame({ type: 'data', streamId: 1, data: new Uint8Array(100) });
    const r = parseFrame(bytes);
    expect(r.kind === 'ok' && r.value.type === 'data' && r.value.data.buffer === bytes.buffer).toBe(true);
  });

  it('counts the padding of DATA for flow control (flowLength) but strips it from data (§6.1)', () => {
    const r = parseFrame(serializeFrame({ type: 'data', streamId: 1, data: new Uint8Array(3), padLength: 10 }));
    expect(r).toMatchObject({ kind: 'ok', value: { type: 'data', padLength: 10, flowLength: 14 } });
    expect(r.kind === 'ok' && (r.value as Extract<Frame, { type: 'data' }>).data.length).toBe(3);
  });

  it.each([
    ['DATA on stream 0', serializeRawFrame(0, 0, 0, new Uint8Array(1)), 'PROTOCOL_ERROR'],
    ['padding as long as the payload', serializeRawFrame(0, 0x8, 1, new Uint8Array([3, 0, 0])), 'PROTOCOL_ERROR'],
    ['PADDED without Pad Length', serializeRawFrame(0, 0x8, 1, new Uint8Array(0)), 'FRAME_SIZE_ERROR'],
    ['HEADERS on stream 0', serializeRawFrame(1, 4, 0, new Uint8Array(1)), 'PROTOCOL_ERROR'],
    ['PRIORITY of 4 octets', serializeRawFrame(2, 0, 1, new Uint8Array(4)), 'FRAME_SIZE_ERROR'],
    ['RST_STREAM of 3 octets', serializeRawFrame(3, 0, 1, new Uint8Array(3)), 'FRAME_SIZE_ERROR'],
    ['RST_STREAM on stream 0', serializeRawFrame(3, 0, 0, new Uint8Array(4)), 'PROTOCOL_ERROR'],
    ['SETTINGS of 5 octets', serializeRawFrame(4, 0, 0, new Uint8Array(5)), 'FRAME_SIZE_ERROR'],
    ['SETTINGS ACK with a payload', serializeRawFrame(4, 1, 0, new Uint8Array(6)), 'FRAME_SIZE_ERROR'],
    ['SETTINGS on stream 1', serializeRawFrame(4, 0, 1, new Uint8Array(0)), 'PROTOCOL_ERROR'],
    ['PUSH_PROMISE on stream 0', serializeRawFrame(5, 4, 0, new Uint8Array(4)), 'PROTOCOL_ERROR'],
    ['PING of 7 octets', serializeRawFrame(6, 0, 0, new Uint8Array(7)), 'FRAME_SIZE_ERROR'],
    ['PING on stream 1', serializeRawFrame(6, 0, 1, new Uint8Array(8)), 'PROTOCOL_ERROR'],
    ['GOAWAY of 7 octets', serializeRawFrame(7, 0, 0, new Uint8Array(7)), 'FRAME_SIZE_ERROR'],
    ['GOAWAY on stream 1', serializeRawFrame(7, 0, 1, new Uint8Array(8)), 'PROTOCOL_ERROR'],
    ['WINDOW_UPDATE of 3 octets', serializeRawFrame(8, 0, 0, new Uint8Array(3)), 'FRAME_SIZE_ERROR'],
    ['WINDOW_UPDATE of 0 on the connection', serializeRawFrame(8, 0, 0, new Uint8Array(4)), 'PROTOCOL_ERROR'],
    ['CONTINUATION on stream 0', serializeRawFrame(9, 4, 0, new Uint8Array(0)), 'PROTOCOL_ERROR'],
  ])('rejects %s with %s', (_name, bytes, h2Code) => {
    const r = parseFrame(bytes);
    expect(r.kind === 'error' && r.error.h2Code).toBe(h2Code);
  });

  it('ignores frames of unknown type and unknown flags on a connection (§4.1, §5.5)', () => {
    const enc = serverEncoder();
    const bytes = concat(
      SERVER_SETTINGS, SETTINGS_ACK,
      serializeRawFrame(0xbb, 0xff, 0, new Uint8Array([1, 2, 3])),
      serializeRawFrame(0xbb, 0x00, 1, new Uint8Array(0)),
      frames({ ...headersFrame(enc, 1, [[':status', '200']]) }).map((b, i) => (i === 4 ? b | 0xd2 & ~0x08 & ~0x20 : b)),
      frames({ type: 'data', streamId: 1, data: new Uint8Array([7]), endStream: true }),
    );
    expectEventsForAllChunkings(startedWithGet, bytes, [
      { type: 'settings', settings: expect.anything() }, { type: 'settingsAck' },
      { type: 'response', streamId: 1, status: 200, headers: [[':status', '200']], endStream: false },
      { type: 'data', streamId: 1, data: [7], endStream: true },
    ], { normalize: summary });
  });
});

import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { DEFAULT_MAX_FRAME_SIZE, DEFAULT_MAX_MESSAGE_SIZE, WebSocketConnection, WsErrors } from '../../src/index.js';
import { bytes, cat, client, errorEvent, frame, norm, Opcode } from '../support/ws.js';

const TOO_BIG = errorEvent(WsErrors.TOO_LARGE, 1009);
const data = (n: number): Uint8Array => new Uint8Array(n).fill(0x61);

describe('RFC 6455 §7.4.1 size limits (close 1009)', () => {
  it('accepts a frame of maxFrameSize octets', () => {
    expectEventsForAllChunkings(() => client({ maxFrameSize: 200 }), frame(Opcode.BINARY, data(200)), [{ type: 'binary', data: data(200) }], { normalize: norm });
  });

  it('fails with 1009 on a frame of maxFrameSize + 1 octets, as soon as its header arrives', () => {
    const ws = client({ maxFrameSize: 200 });
    expect(norm(ws.receive(frame(Opcode.BINARY, data(201)).subarray(0, 4)))).toEqual([TOO_BIG]);
    const [close] = ws.takeOutput();
    expect(close!.subarray(6).map((b, i) => b ^ [0x37, 0xfa, 0x21, 0x3d][i & 3]!)).toEqual(bytes(0x03, 0xf1));
  });

  it('accepts a fragmented message of maxMessageSize octets and fails at maxMessageSize + 1', () => {
    const msg = (last: number): Uint8Array => cat(frame(Opcode.TEXT, data(100), { fin: false }), frame(Opcode.CONTINUATION, data(last)));
    expectEventsForAllChunkings(() => client({ maxMessageSize: 150 }), msg(50), [{ type: 'text', data: 'a'.repeat(150) }], { normalize: norm });
    expectEventsForAllChunkings(() => client({ maxMessageSize: 150 }), msg(51), [TOO_BIG], { normalize: norm });
  });

  it('counts control frames against no message limit', () => {
    const ws = client({ maxMessageSize: 10, maxFrameSize: 10 });
    expect(ws.receive(frame(Opcode.PING, data(100)))).toHaveLength(1);
  });

  it('defaults both limits to 64 MiB', () => {
    expect(DEFAULT_MAX_MESSAGE_SIZE).toBe(64 * 1024 * 1024);
    expect(DEFAULT_MAX_FRAME_SIZE).toBe(DEFAULT_MAX_MESSAGE_SIZE);
    const header = bytes(0x82, 127, 0, 0, 0, 0, 0x04, 0, 0, 1);
    expect(norm(client().receive(header))).toEqual([TOO_BIG]);
  });

  it('throws on a negative or fractional limit', () => {
    expect(() => new WebSocketConnection({ role: 'server', maxMessageSize: -1 })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
    expect(() => new WebSocketConnection({ role: 'server', maxFrameSize: 1.5 })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });
});

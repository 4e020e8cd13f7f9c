import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WsErrors } from '../../src/index.js';
import { bytes, cat, client, decodeClientOutput, enc, errorEvent, frame, norm, Opcode, server } from '../support/ws.js';

const closePayload = (code: number, reason = ''): Uint8Array => cat(bytes(code >> 8, code & 0xff), enc(reason));

describe('RFC 6455 §5.5.1, §7 closing', () => {
  it('reports a close with code and reason, echoes the code and is closed (§5.5.1)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.CLOSE, closePayload(1001, 'bye')), [{ type: 'close', code: 1001, reason: 'bye' }], { normalize: norm });
    const ws = client();
    ws.receive(frame(Opcode.CLOSE, closePayload(4000, 'bye')));
    expect(ws.state).toBe('closed');
    const peer = server();
    peer.send({ type: 'close', code: 4000 });
    peer.takeOutput();
    expect(decodeClientOutput(ws, peer)).toEqual([{ type: 'close', code: 4000 }]);
  });

  it('answers a close without status with an empty close (§5.5.1, 1005 is never sent)', () => {
    const ws = client();
    expect(ws.receive(frame(Opcode.CLOSE))).toEqual([{ type: 'close' }]);
    const [wire] = ws.takeOutput();
    expect(wire![1]).toBe(0x80);
  });

  it('fails on a 1-octet close payload (§5.5.1)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.CLOSE, bytes(3)), [errorEvent(WsErrors.PROTOCOL, 1002)], { normalize: norm });
  });

  it.each([0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535])('fails on close code %i, which is not allowed on the wire (§7.4)', (code) => {
    expectEventsForAllChunkings(client, frame(Opcode.CLOSE, closePayload(code)), [errorEvent(WsErrors.PROTOCOL, 1002)], { normalize: norm });
  });

  it.each([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999])('accepts close code %i (§7.4.1, §7.4.2)', (code) => {
    expect(norm(client().receive(frame(Opcode.CLOSE, closePayload(code))))).toEqual([{ type: 'close', code }]);
  });

  it('fails with 1007 on a close reason that is not UTF-8 (§5.5.1)', () => {
    const input = frame(Opcode.CLOSE, cat(closePayload(1000), bytes(0xc3, 0x28)));
    expectEventsForAllChunkings(client, input, [errorEvent(WsErrors.INVALID_UTF8, 1007)], { normalize: norm });
  });

  it('goes closing after sending close, drops later frames, and closed at the peer close without replying (§5.5.1)', () => {
    const ws = client();
    expect(ws.send({ type: 'close', code: 1000, reason: 'done' })).toBe(true);
    expect(ws.state).toBe('closing');
    expect(ws.send({ type: 'text', data: 'late' })).toBe(false);
    expect(decodeClientOutput(ws)).toEqual([{ type: 'close', code: 1000, reason: 'done' }]);
    expect(ws.receive(frame(Opcode.CLOSE, closePayload(1000)))).toEqual([{ type: 'close', code: 1000 }]);
    expect(ws.state).toBe('closed');
    expect(ws.takeOutput()).toEqual([]);
  });

  it.each([1005, 1006, 1015, 999, 5000, 1004])('throws when asked to send close code %i (§7.4.1)', (code) => {
    expect(() => client().send({ type: 'close', code })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT, origin: 'local' }));
  });

  it('sends a 123-octet reason and throws on 124 octets or a reason without code (§5.5)', () => {
    expect(client().send({ type: 'close', code: 1000, reason: 'r'.repeat(123) })).toBe(true);
    expect(() => client().send({ type: 'close', code: 1000, reason: 'r'.repeat(124) })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
    expect(() => client().send({ type: 'close', reason: 'why' })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
  });

  it('reports 1006 when the stream ends without a close handshake, and nothing after one (§7.1.5)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.TEXT, 'a'), [{ type: 'text', data: 'a' }, errorEvent(WsErrors.CLOSED_ABNORMALLY, 1006)], { normalize: norm, eof: true });
    expectEventsForAllChunkings(client, frame(Opcode.CLOSE), [{ type: 'close' }], { normalize: norm, eof: true });
  });

  it('hands the bytes after the close frame to takeRemainder', () => {
    const ws = client();
    ws.receive(cat(frame(Opcode.CLOSE), bytes(1, 2, 3)));
    expect(ws.takeRemainder()).toEqual(bytes(1, 2, 3));
  });
});

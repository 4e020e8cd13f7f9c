import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WsErrors } from '../../src/index.js';
import { bytes, cat, client, decodeClientOutput, enc, errorEvent, frame, norm, Opcode } from '../support/ws.js';

const PROTOCOL = errorEvent(WsErrors.PROTOCOL, 1002);
const frag = (opcode: number, payload: string, fin: boolean): Uint8Array => frame(opcode, payload, { fin });

describe('RFC 6455 §5.4 fragmentation', () => {
  it('assembles a fragmented text message into one text event', () => {
    const input = cat(frag(Opcode.TEXT, 'Hel', false), frag(Opcode.CONTINUATION, 'lo, ', false), frag(Opcode.CONTINUATION, 'world', true));
    expectEventsForAllChunkings(client, input, [{ type: 'text', data: 'Hello, world' }], { normalize: norm });
  });

  it('assembles a fragmented binary message, empty fragments included', () => {
    const input = cat(frame(Opcode.BINARY, bytes(1), { fin: false }), frame(Opcode.CONTINUATION, bytes(), { fin: false }), frame(Opcode.CONTINUATION, bytes(2, 3)));
    expectEventsForAllChunkings(client, input, [{ type: 'binary', data: bytes(1, 2, 3) }], { normalize: norm });
  });

  it('accepts control frames between fragments and answers a ping at once (§5.4)', () => {
    const input = cat(frag(Opcode.TEXT, 'a', false), frame(Opcode.PING, 'p'), frag(Opcode.CONTINUATION, 'b', true));
    expectEventsForAllChunkings(client, input, [{ type: 'ping', data: enc('p') }, { type: 'text', data: 'ab' }], { normalize: norm });
    const ws = client();
    ws.receive(input);
    expect(decodeClientOutput(ws)).toEqual([{ type: 'pong', data: enc('p') }]);
  });

  it('fails on a continuation frame with no message in progress (§5.4)', () => {
    expectEventsForAllChunkings(client, frag(Opcode.CONTINUATION, 'x', true), [PROTOCOL], { normalize: norm });
  });

  it('fails on a new data frame while a fragmented message is in progress (§5.4)', () => {
    const input = cat(frag(Opcode.TEXT, 'a', false), frag(Opcode.BINARY, 'b', true));
    expectEventsForAllChunkings(client, input, [PROTOCOL], { normalize: norm });
  });

  it('delivers fragment events with deliverFragments, whole messages still as text', () => {
    const input = cat(frag(Opcode.TEXT, 'one', true), frag(Opcode.BINARY, 'a', false), frag(Opcode.CONTINUATION, 'b', true));
    expectEventsForAllChunkings(() => client({ deliverFragments: true }), input, [
      { type: 'text', data: 'one' },
      { type: 'fragment', messageType: 'binary', fin: false, data: enc('a') },
      { type: 'fragment', messageType: 'binary', fin: true, data: enc('b') },
    ], { normalize: norm });
  });

  it('sends every message unfragmented with FIN set', () => {
    const ws = client();
    ws.send({ type: 'binary', data: new Uint8Array(100000) });
    const [wire] = ws.takeOutput();
    expect(wire![0]).toBe(0x82);
  });
});

import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WsErrors } from '../../src/index.js';
import { client, decodeClientOutput, errorEvent, frame, norm, Opcode } from '../support/ws.js';

const PROTOCOL = errorEvent(WsErrors.PROTOCOL, 1002);
const payload = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i);

describe('RFC 6455 §5.5 control frames', () => {
  it('answers a ping with a pong carrying the same payload, and reports the ping (§5.5.2, §5.5.3)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.PING, payload(5)), [{ type: 'ping', data: payload(5) }], { normalize: norm });
    const ws = client();
    ws.receive(frame(Opcode.PING, payload(5)));
    expect(decodeClientOutput(ws)).toEqual([{ type: 'pong', data: payload(5) }]);
  });

  it('reports a pong and sends nothing back (§5.5.3)', () => {
    const ws = client();
    expect(ws.receive(frame(Opcode.PONG, payload(3)))).toEqual([{ type: 'pong', data: payload(3) }]);
    expect(ws.takeOutput()).toEqual([]);
  });

  it('accepts a 125-octet control payload (§5.5)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.PING, payload(125)), [{ type: 'ping', data: payload(125) }], { normalize: norm });
  });

  it('fails on a 126-octet control payload (§5.5)', () => {
    expectEventsForAllChunkings(client, frame(Opcode.PING, payload(126)), [PROTOCOL], { normalize: norm });
  });

  it.each([Opcode.PING, Opcode.PONG, Opcode.CLOSE])('fails on a fragmented control frame, opcode %i (§5.5)', (opcode) => {
    expectEventsForAllChunkings(client, frame(opcode, payload(0), { fin: false }), [PROTOCOL], { normalize: norm });
  });

  it('sends a 125-octet ping and throws on 126 octets (§5.5)', () => {
    const ws = client();
    expect(ws.send({ type: 'ping', data: payload(125) })).toBe(true);
    expect(() => ws.send({ type: 'pong', data: payload(126) })).toThrow(expect.objectContaining({ code: WsErrors.BAD_ARGUMENT }));
    expect(decodeClientOutput(ws)).toEqual([{ type: 'ping', data: payload(125) }]);
  });

  it('sends an empty ping when no data is given', () => {
    const ws = client();
    ws.send({ type: 'ping' });
    expect(decodeClientOutput(ws)).toEqual([{ type: 'ping', data: new Uint8Array(0) }]);
  });
});

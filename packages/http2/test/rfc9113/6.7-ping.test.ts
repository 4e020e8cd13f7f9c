import { frames, summary, withRequest, written } from '../helpers.js';

const opaque = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

describe('RFC 9113 §6.7 PING', () => {
  it('acknowledges a server PING with the same payload and reports it', () => {
    const { h2 } = withRequest();
    expect(h2.receive(frames({ type: 'ping', opaque }))).toEqual([{ type: 'ping', opaque }]);
    expect(written(h2)).toEqual([{ type: 'ping', streamId: 0, ack: true, opaque }]);
  });

  it('sends user pings with their own 8 octets and reports the ACK', () => {
    const { h2 } = withRequest();
    h2.ping(opaque);
    expect(written(h2)).toEqual([{ type: 'ping', streamId: 0, ack: false, opaque }]);
    expect(h2.receive(frames({ type: 'ping', ack: true, opaque }))).toEqual([{ type: 'pingAck', opaque }]);
    expect(written(h2)).toEqual([]);
  });

  it('refuses a ping payload other than 8 octets (caller misuse)', () => {
    const { h2 } = withRequest();
    expect(() => h2.ping(new Uint8Array(7))).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_ARGUMENT', origin: 'local' }));
  });

  it('does not keep a view of the received bytes in ping events', () => {
    const { h2 } = withRequest();
    const bytes = frames({ type: 'ping', opaque });
    const [event] = h2.receive(bytes);
    bytes.fill(0);
    expect(summary([event!])).toEqual([{ type: 'ping', opaque }]);
  });
});

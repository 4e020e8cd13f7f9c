import { connected, frames, get, headersFrame, serverEncoder, summary, written } from '../helpers.js';

describe('RFC 9113 §6.8 GOAWAY', () => {
  it('reports GOAWAY with the streams above the last stream id as unprocessed, and refuses new requests', () => {
    const h2 = connected();
    [1, 3, 5].forEach(() => h2.request(get(), { endStream: true }));
    const events = h2.receive(frames({ type: 'goAway', lastStreamId: 1, errorCode: 0, debugData: new Uint8Array([0x68]) }));
    expect(events).toEqual([{ type: 'goAway', lastStreamId: 1, errorCode: 0, debugData: new Uint8Array([0x68]), unprocessedStreamIds: [3, 5] }]);
    expect(h2.state).toBe('goingAway');
    expect(() => h2.request(get())).toThrow(expect.objectContaining({ code: 'H2_ERR_GOAWAY' }));
    const enc = serverEncoder();
    expect(h2.receive(frames(headersFrame(enc, 1, [[':status', '200']], true)))[0]).toMatchObject({ type: 'response', streamId: 1 });
  });

  it('sends GOAWAY with the last server-initiated stream id (Gun: graceful shutdown NO_ERROR)', () => {
    const h2 = connected();
    const enc = serverEncoder();
    h2.request(get(), { endStream: true });
    h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(get('/x')) }));
    written(h2);
    h2.goAway();
    expect(written(h2)).toEqual([{ type: 'goAway', streamId: 0, lastStreamId: 2, errorCode: 0, debugData: new Uint8Array(0) }]);
    expect(() => h2.request(get())).toThrow(expect.objectContaining({ code: 'H2_ERR_GOAWAY' }));
  });

  it('writes GOAWAY with the error code on a connection error, and the error is the last event of the batch', () => {
    const h2 = connected();
    h2.request(get(), { endStream: true });
    const enc = serverEncoder();
    const events = h2.receive(frames(
      { type: 'ping', opaque: new Uint8Array(8) },
      headersFrame(enc, 1, [[':status', '200']]),
      { type: 'windowUpdate', streamId: 0, increment: 0x7fffffff },
      { type: 'ping', opaque: new Uint8Array(8) },
    ));
    expect(summary(events).map((e) => (e as { type: string }).type)).toEqual(['ping', 'response', 'error']);
    expect(written(h2).at(-1)).toEqual({ type: 'goAway', streamId: 0, lastStreamId: 0, errorCode: 3, debugData: new Uint8Array(0) });
    expect(h2.state).toBe('closed');
  });
});

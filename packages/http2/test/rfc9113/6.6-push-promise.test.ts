import { frames, get, headersFrame, serverEncoder, summary, withRequest, written } from '../helpers.js';

const promised = get('/style.css');

describe('RFC 9113 §6.6 PUSH_PROMISE and §8.4 server push', () => {
  it('reports a push, then the pushed response on the promised stream (reserved (remote) → half-closed (local))', () => {
    const { h2, enc } = withRequest();
    const events = h2.receive(frames(
      { type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(promised) },
      headersFrame(enc, 1, [[':status', '200']], true),
      headersFrame(enc, 2, [[':status', '200']]),
      { type: 'data', streamId: 2, data: new Uint8Array([1]), endStream: true },
    ));
    expect(summary(events)).toEqual([
      { type: 'push', streamId: 1, promisedStreamId: 2, headers: promised },
      { type: 'response', streamId: 1, status: 200, headers: [[':status', '200']], endStream: true },
      { type: 'response', streamId: 2, status: 200, headers: [[':status', '200']], endStream: false },
      { type: 'data', streamId: 2, data: [1], endStream: true },
    ]);
  });

  it('lets the client cancel a pushed stream', () => {
    const { h2, enc } = withRequest();
    h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(promised) }));
    h2.resetStream(2, 'CANCEL');
    expect(written(h2)).toEqual([{ type: 'rstStream', streamId: 2, errorCode: 8 }]);
    expect(h2.receive(frames(headersFrame(enc, 2, [[':status', '200']])))).toEqual([]);
  });

  it('treats PUSH_PROMISE as a PROTOCOL_ERROR connection error when push is disabled', () => {
    const { h2, enc } = withRequest({ enablePush: false });
    expect(summary(h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(promised) })))).toEqual([
      { type: 'error', code: 'H2_ERR_PROTOCOL', h2Code: 'PROTOCOL_ERROR', scope: 'connection' },
    ]);
  });

  it.each([
    ['an odd promised stream id', 1, 3],
    ['a promised id not above the last one', 1, 0],
    ['an idle associated stream', 5, 2],
  ])('treats %s as a PROTOCOL_ERROR connection error', (_name, streamId, promisedStreamId) => {
    const { h2, enc } = withRequest();
    expect(summary(h2.receive(frames({ type: 'pushPromise', streamId, promisedStreamId, fragment: enc.encode(promised) })))).toEqual([
      { type: 'error', code: 'H2_ERR_PROTOCOL', h2Code: 'PROTOCOL_ERROR', scope: 'connection' },
    ]);
  });

  it('resets the promised stream when the promised request is not safe (§8.4)', () => {
    const { h2, enc } = withRequest();
    const events = h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode([[':method', 'POST'], ...get().slice(1)]) }));
    expect(summary(events)).toEqual([{ type: 'streamError', streamId: 2, code: 'H2_ERR_MALFORMED', h2Code: 'PROTOCOL_ERROR', scope: 'stream' }]);
    expect(written(h2)).toEqual([{ type: 'rstStream', streamId: 2, errorCode: 1 }]);
  });

  it('treats DATA on a reserved (remote) stream as a PROTOCOL_ERROR connection error (§5.1)', () => {
    const { h2, enc } = withRequest();
    h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(promised) }));
    expect(summary(h2.receive(frames({ type: 'data', streamId: 2, data: new Uint8Array(1) })))[0]).toMatchObject({ type: 'error', h2Code: 'PROTOCOL_ERROR' });
  });

  it('answers a promise on a stream it reset with RST_STREAM CANCEL and keeps HPACK in step', () => {
    const h2 = withRequest().h2;
    const enc = serverEncoder();
    h2.resetStream(1);
    written(h2);
    expect(h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(promised) }))).toEqual([]);
    expect(written(h2)).toEqual([{ type: 'rstStream', streamId: 2, errorCode: 8 }]);
  });
});

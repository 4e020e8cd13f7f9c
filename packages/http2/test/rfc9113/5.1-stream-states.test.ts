import { nextStreamState, STREAM_TRANSITIONS, type StreamState } from '../../src/index.js';
import { connected, frames, get, headersFrame, serverEncoder, summary, withRequest, written } from '../helpers.js';

const conn = (code: string, h2Code: string): unknown => ({ type: 'error', code, h2Code, scope: 'connection' });

describe('RFC 9113 §5.1 stream states (the table)', () => {
  it.each([
    ['idle', 'sendHeaders', 'open'], ['idle', 'recvPushPromise', 'reservedRemote'], ['reservedRemote', 'recvHeaders', 'halfClosedLocal'],
    ['open', 'sendEndStream', 'halfClosedLocal'], ['open', 'recvEndStream', 'halfClosedRemote'], ['halfClosedLocal', 'recvEndStream', 'closed'],
    ['halfClosedRemote', 'sendEndStream', 'closed'], ['open', 'recvReset', 'closed'], ['reservedRemote', 'sendReset', 'closed'],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextStreamState(from, event)).toBe(to);
  });

  it('allows nothing out of closed, and no END_STREAM out of idle', () => {
    expect(Object.keys(STREAM_TRANSITIONS.closed)).toEqual([]);
    expect(nextStreamState('idle' as StreamState, 'recvEndStream')).toBeUndefined();
  });
});

describe('RFC 9113 §5.1 stream states on a connection', () => {
  it('uses odd client stream identifiers in increasing order (§5.1.1)', () => {
    const h2 = connected();
    expect([h2.request(get()), h2.request(get()), h2.request(get())]).toEqual([1, 3, 5]);
    expect(written(h2).map((f) => f.streamId)).toEqual([1, 3, 5]);
  });

  it('treats DATA on an idle stream as a PROTOCOL_ERROR connection error', () => {
    const { h2 } = withRequest();
    expect(summary(h2.receive(frames({ type: 'data', streamId: 3, data: new Uint8Array(1) })))).toEqual([conn('H2_ERR_PROTOCOL', 'PROTOCOL_ERROR')]);
  });

  it('treats HEADERS opening a server stream as a PROTOCOL_ERROR connection error (§5.1.1)', () => {
    const { h2, enc } = withRequest();
    expect(summary(h2.receive(frames(headersFrame(enc, 2, [[':status', '200']]))))).toEqual([conn('H2_ERR_PROTOCOL', 'PROTOCOL_ERROR')]);
  });

  it('treats RST_STREAM and WINDOW_UPDATE on an idle stream as PROTOCOL_ERROR connection errors', () => {
    const a = withRequest();
    expect(summary(a.h2.receive(frames({ type: 'rstStream', streamId: 5, errorCode: 0 })))).toEqual([conn('H2_ERR_PROTOCOL', 'PROTOCOL_ERROR')]);
    const b = withRequest();
    expect(summary(b.h2.receive(frames({ type: 'windowUpdate', streamId: 5, increment: 1 })))).toEqual([conn('H2_ERR_PROTOCOL', 'PROTOCOL_ERROR')]);
  });

  it('accepts PRIORITY on any stream, even idle, and ignores it (§5.3.2, §6.3)', () => {
    const { h2 } = withRequest();
    expect(h2.receive(frames({ type: 'priority', streamId: 9, priority: { exclusive: false, dependency: 0, weight: 1 } }))).toEqual([]);
    expect(written(h2)).toEqual([]);
  });

  it('resets a stream whose PRIORITY depends on itself (§5.3.1)', () => {
    const { h2 } = withRequest();
    expect(summary(h2.receive(frames({ type: 'priority', streamId: 1, priority: { exclusive: false, dependency: 1, weight: 1 } }))))
      .toEqual([{ type: 'streamError', streamId: 1, code: 'H2_ERR_PROTOCOL', h2Code: 'PROTOCOL_ERROR', scope: 'stream' }]);
  });

  it('treats DATA after END_STREAM was received as a STREAM_CLOSED error', () => {
    const { h2, enc } = withRequest();
    h2.receive(frames(headersFrame(enc, 1, [[':status', '200']], true)));
    expect(summary(h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(1) })))).toEqual([conn('H2_ERR_STREAM_CLOSED', 'STREAM_CLOSED')]);
  });

  it('treats DATA on a half-closed (remote) stream as a STREAM_CLOSED stream error', () => {
    const h2 = connected();
    const id = h2.request([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]);
    const enc = serverEncoder();
    h2.receive(frames(headersFrame(enc, id, [[':status', '200']], true)));
    h2.takeOutput();
    expect(summary(h2.receive(frames({ type: 'data', streamId: id, data: new Uint8Array(1) })))).toEqual([
      { type: 'streamError', streamId: 1, code: 'H2_ERR_STREAM_CLOSED', h2Code: 'STREAM_CLOSED', scope: 'stream' },
    ]);
    expect(written(h2)).toContainEqual({ type: 'rstStream', streamId: 1, errorCode: 5 });
  });

  it('ignores frames on a stream it reset, yet decodes their header blocks (§5.1 closed, §4.3)', () => {
    const { h2, enc } = withRequest();
    h2.resetStream(1, 'CANCEL');
    expect(written(h2)).toEqual([{ type: 'rstStream', streamId: 1, errorCode: 8 }]);
    expect(h2.receive(frames(headersFrame(enc, 1, [[':status', '200'], ['x-indexed', 'yes']]), { type: 'data', streamId: 1, data: new Uint8Array(5) }))).toEqual([]);
    const id = h2.request(get(), { endStream: true });
    // The block above added x-indexed to the dynamic table: indexing it now must decode.
    expect(summary(h2.receive(frames(headersFrame(enc, id, [[':status', '200'], ['x-indexed', 'yes']], true))))).toEqual([
      { type: 'response', streamId: 3, status: 200, headers: [[':status', '200'], ['x-indexed', 'yes']], endStream: true },
    ]);
  });

  it('resetStream on an unknown or closed stream is a no-op', () => {
    const { h2 } = withRequest();
    h2.resetStream(99);
    expect(written(h2)).toEqual([]);
  });

  it('reports RST_STREAM from the server and closes the stream (§6.4)', () => {
    const { h2 } = withRequest();
    expect(summary(h2.receive(frames({ type: 'rstStream', streamId: 1, errorCode: 7 })))).toEqual([
      { type: 'rstStream', streamId: 1, errorCode: 7, h2Code: 'REFUSED_STREAM' },
    ]);
    expect(h2.activeStreams).toBe(0);
    expect(h2.receive(frames({ type: 'rstStream', streamId: 1, errorCode: 0 }))).toEqual([]);
  });

  it('rejects sendData on a stream whose request ended', () => {
    const { h2 } = withRequest();
    expect(() => h2.sendData(1, new Uint8Array(1))).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_STATE', origin: 'local' }));
  });
});

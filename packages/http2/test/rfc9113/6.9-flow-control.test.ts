import { serializeFrame, SettingId, type Http2ClientConnection } from '../../src/index.js';
import { connected, frames, get, headersFrame, serverEncoder, summary, withRequest, written } from '../helpers.js';

const post: Array<[string, string]> = [[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']];

function windowUpdates(h2: Http2ClientConnection): Array<[number, number]> {
  return written(h2).flatMap((f) => (f.type === 'windowUpdate' ? [[f.streamId, f.increment] as [number, number]] : []));
}

function responding(options = {}): { h2: Http2ClientConnection; enc: ReturnType<typeof serverEncoder> } {
  const r = withRequest(options);
  r.h2.receive(frames(headersFrame(r.enc, 1, [[':status', '200']])));
  return r;
}

describe('RFC 9113 §6.9 flow control: receiving', () => {
  it('counts DATA against the windows at once and re-opens them on consumed() per the strategy (Gun thresholds/margins)', () => {
    const { h2 } = responding({ initialConnectionWindowSize: 200000, initialStreamWindowSize: 200000, connectionWindowUpdateThreshold: 100000, streamWindowUpdateThreshold: 100000 });
    for (let i = 0; i < 7; i++) h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(16384) }));
    expect(windowUpdates(h2)).toEqual([]);
    h2.consumed(1, 7 * 16384);
    // window 200000 - 114688 = 85312 <= 100000: top up to target + margin (200000 + 65535).
    expect(windowUpdates(h2)).toEqual([[0, 265535 - 85312], [1, 265535 - 85312]]);
  });

  it("re-opens only the connection window for consumed(id, n, 'connection'), the stream's later with 'stream' (§5.2.2)", () => {
    const { h2 } = responding({ initialConnectionWindowSize: 200000, initialStreamWindowSize: 200000, connectionWindowUpdateThreshold: 100000, streamWindowUpdateThreshold: 100000 });
    for (let i = 0; i < 7; i++) h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(16384) }));
    h2.consumed(1, 7 * 16384, 'connection');
    expect(windowUpdates(h2)).toEqual([[0, 265535 - 85312]]);
    h2.consumed(1, 7 * 16384, 'stream');
    expect(windowUpdates(h2)).toEqual([[1, 265535 - 85312]]);
  });

  it('does not top up above target + margin what the user still holds', () => {
    const { h2 } = responding({ initialConnectionWindowSize: 200000, initialStreamWindowSize: 200000, connectionWindowUpdateThreshold: 100000, streamWindowUpdateThreshold: 100000 });
    for (let i = 0; i < 7; i++) h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(16384) }));
    h2.consumed(1, 16384);
    const increment = 265535 - 85312 - 6 * 16384;
    expect(windowUpdates(h2)).toEqual([[0, increment], [1, increment]]);
  });

  it('keeps a 100 MiB download flowing when the reader consumes as data arrives (default options)', () => {
    const { h2 } = responding({ maxFrameSizeReceived: 1 << 20 });
    let connWindow = 8000000;
    let streamWindow = 8000000;
    const chunk = frames({ type: 'data', streamId: 1, data: new Uint8Array(1 << 20) });
    for (let sent = 0; sent < 100; sent++) {
      expect(Math.min(connWindow, streamWindow)).toBeGreaterThanOrEqual(1 << 20);
      const [event] = h2.receive(chunk);
      connWindow -= 1 << 20;
      streamWindow -= 1 << 20;
      h2.consumed(1, event?.type === 'data' ? event.data.length : 0);
      for (const [id, inc] of windowUpdates(h2)) {
        if (id === 0) connWindow += inc;
        else streamWindow += inc;
      }
    }
  });

  it('gives a stream opened after a finished small response the same windows and WINDOW_UPDATEs as a first stream (§6.9.2)', () => {
    // Issue 4: a download after a priming GET idled; the codec's flow control is not why.
    const download = (h2: Http2ClientConnection, id: number): Array<[string, number]> => {
      h2.receive(frames(headersFrame(serverEncoder(), id, [[':status', '200']])));
      let connWindow = 8000000 - (id === 1 ? 0 : 13);
      let streamWindow = 8000000;
      const updates: Array<[string, number]> = [];
      const chunk = frames({ type: 'data', streamId: id, data: new Uint8Array(1 << 20) });
      for (let sent = 0; sent < 100; sent++) {
        expect(Math.min(connWindow, streamWindow)).toBeGreaterThanOrEqual(1 << 20);
        h2.receive(chunk);
        connWindow -= 1 << 20;
        streamWindow -= 1 << 20;
        h2.consumed(id, 1 << 20);
        for (const [sid, inc] of windowUpdates(h2)) {
          if (sid === 0) connWindow += inc;
          else streamWindow += inc;
          updates.push([sid === 0 ? 'connection' : 'stream', inc]);
        }
      }
      return updates;
    };
    const first = connected({ maxFrameSizeReceived: 1 << 20 });
    first.request(get(), { endStream: true });
    written(first);
    const primed = connected({ maxFrameSizeReceived: 1 << 20 });
    primed.request(get('/small'), { endStream: true });
    primed.receive(frames(headersFrame(serverEncoder(), 1, [[':status', '200']]), { type: 'data', streamId: 1, data: new Uint8Array(13), endStream: true }));
    primed.consumed(1, 13);
    expect(primed.request(get(), { endStream: true })).toBe(3);
    expect(windowUpdates(primed)).toEqual([]); // 13 octets are far above the top-up point: nothing to send
    const a = download(first, 1);
    const b = download(primed, 3);
    expect(b.filter(([w]) => w === 'stream')).toEqual(a.filter(([w]) => w === 'stream'));
    // The connection window lacks the priming response's 13 octets until its first top-up.
    expect(b.filter(([w]) => w === 'connection').map(([, n], i) => (i === 0 ? n - 13 : n))).toEqual(a.filter(([w]) => w === 'connection').map(([, n]) => n));
  });

  it('counts padding against the windows and gives it back without consumed() (§6.1)', () => {
    const { h2 } = responding({ initialConnectionWindowSize: 65535, initialStreamWindowSize: 65535, connectionWindowUpdateThreshold: 65535, streamWindowUpdateThreshold: 65535, connectionWindowMarginSize: 0, streamWindowMarginSize: 0 });
    written(h2);
    h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(10), padLength: 100 }));
    expect(windowUpdates(h2)).toEqual([[0, 101], [1, 101]]);
  });

  it('treats DATA beyond the connection window as a FLOW_CONTROL_ERROR connection error', () => {
    const { h2 } = responding({ initialConnectionWindowSize: 65535, initialStreamWindowSize: 100000, maxFrameSizeReceived: 70000 });
    expect(summary(h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(65536) })))).toEqual([
      { type: 'error', code: 'H2_ERR_FLOW_CONTROL', h2Code: 'FLOW_CONTROL_ERROR', scope: 'connection' },
    ]);
  });

  it('treats DATA beyond the stream window as a FLOW_CONTROL_ERROR stream error (N accepted, N+1 refused)', () => {
    const a = responding({ initialStreamWindowSize: 1000 });
    expect(a.h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(1000) }))[0]?.type).toBe('data');
    const b = responding({ initialStreamWindowSize: 1000 });
    expect(summary(b.h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(1001) })))).toEqual([
      { type: 'streamError', streamId: 1, code: 'H2_ERR_FLOW_CONTROL', h2Code: 'FLOW_CONTROL_ERROR', scope: 'stream' },
    ]);
  });

  it('replenishes the connection window for DATA of streams it reset (Gun: lingering data)', () => {
    const { h2 } = responding({ initialConnectionWindowSize: 65535, connectionWindowUpdateThreshold: 65535, connectionWindowMarginSize: 0 });
    h2.resetStream(1);
    written(h2);
    h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(1000) }));
    expect(windowUpdates(h2)).toEqual([[0, 1000]]);
  });

  it('releases what a reset stream held so the connection window does not leak', () => {
    const { h2 } = responding({ initialConnectionWindowSize: 65535, connectionWindowUpdateThreshold: 65535, connectionWindowMarginSize: 0 });
    h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(1000) }));
    written(h2);
    h2.resetStream(1);
    h2.consumed(3, 0);
    h2.receive(frames({ type: 'ping', opaque: new Uint8Array(8) }));
    h2.consumed(1, 1000); // ignored: the stream was reset
    const ids = windowUpdates(h2);
    expect(ids).toEqual([]);
  });
});

describe('RFC 9113 §6.9 flow control: sending', () => {
  it('holds DATA until the server windows allow it, then sends it on WINDOW_UPDATE', () => {
    const h2 = connected();
    const id = h2.request(post);
    written(h2);
    h2.sendData(id, new Uint8Array(70000), { endStream: true });
    expect(written(h2).reduce((n, f) => n + (f.type === 'data' ? f.data.length : 0), 0)).toBe(65535);
    expect(h2.bufferedAmount(id)).toBe(70000 - 65535);
    expect(h2.sendableBytes(id)).toBe(0);
    expect(h2.receive(frames({ type: 'windowUpdate', streamId: 0, increment: 10000 }))).toEqual([{ type: 'windowUpdate', streamId: 0, increment: 10000 }]);
    expect(written(h2)).toEqual([]);
    h2.receive(frames({ type: 'windowUpdate', streamId: id, increment: 10000 }));
    const out = written(h2);
    expect(out).toEqual([expect.objectContaining({ type: 'data', endStream: true })]);
    expect(out[0]?.type === 'data' && out[0].data.length).toBe(4465);
  });

  it('sends an empty DATA with END_STREAM when the body ends with no data left', () => {
    const h2 = connected();
    const id = h2.request(post);
    h2.sendData(id, new Uint8Array(3));
    h2.sendData(id, new Uint8Array(0), { endStream: true });
    expect(written(h2).slice(1).map((f) => (f.type === 'data' ? [f.data.length, f.endStream] : f.type))).toEqual([[3, false], [0, true]]);
  });

  it('sends request trailers after the data (HEADERS with END_STREAM)', () => {
    const h2 = connected();
    const id = h2.request(post);
    h2.sendData(id, new Uint8Array(3));
    h2.sendTrailers(id, [['x-checksum', 'abc']]);
    expect(written(h2).map((f) => [f.type, 'endStream' in f ? f.endStream : undefined])).toEqual([['headers', false], ['data', false], ['headers', true]]);
    expect(() => h2.sendTrailers(id, [])).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_STATE' }));
  });

  it('applies a change of SETTINGS_INITIAL_WINDOW_SIZE to open streams, even below zero (§6.9.2)', () => {
    const h2 = connected();
    const id = h2.request(post);
    h2.sendData(id, new Uint8Array(60000));
    written(h2);
    h2.receive(serializeFrame({ type: 'settings', settings: [[SettingId.INITIAL_WINDOW_SIZE, 50000]] }));
    expect(h2.sendableBytes(id)).toBe(0);
    h2.receive(frames({ type: 'windowUpdate', streamId: id, increment: 10001 }));
    h2.sendData(id, new Uint8Array(5));
    expect(written(h2).filter((f) => f.type === 'data').map((f) => (f.type === 'data' ? f.data.length : 0))).toEqual([1]);
  });

  it('treats a stream window overflow as a FLOW_CONTROL_ERROR stream error and a connection one as a connection error', () => {
    const h2 = connected();
    const id = h2.request(post);
    expect(summary(h2.receive(frames({ type: 'windowUpdate', streamId: id, increment: 0x7fffffff })))).toEqual([
      { type: 'streamError', streamId: 1, code: 'H2_ERR_FLOW_CONTROL', h2Code: 'FLOW_CONTROL_ERROR', scope: 'stream' },
    ]);
    expect(summary(h2.receive(frames({ type: 'windowUpdate', streamId: 0, increment: 0x7fffffff - 65535 })))).toEqual([
      { type: 'windowUpdate', streamId: 0, increment: 0x7fffffff - 65535 },
    ]);
    expect(summary(h2.receive(frames({ type: 'windowUpdate', streamId: 0, increment: 1 })))[0]).toMatchObject({ type: 'error', h2Code: 'FLOW_CONTROL_ERROR' });
  });

  it('treats a SETTINGS_INITIAL_WINDOW_SIZE change overflowing a stream window as a FLOW_CONTROL_ERROR', () => {
    const h2 = connected();
    const id = h2.request(post);
    h2.receive(frames({ type: 'windowUpdate', streamId: id, increment: 0x7fffffff - 65535 }));
    expect(summary(h2.receive(serializeFrame({ type: 'settings', settings: [[SettingId.INITIAL_WINDOW_SIZE, 65536]] })))[0]).toMatchObject({ type: 'error', h2Code: 'FLOW_CONTROL_ERROR' });
  });

  it('treats WINDOW_UPDATE with a 0 increment on a stream as a stream error (§6.9)', () => {
    const h2 = connected();
    const id = h2.request(post);
    const bytes = frames({ type: 'windowUpdate', streamId: id, increment: 1 });
    bytes[12] = 0;
    expect(summary(h2.receive(bytes))).toEqual([{ type: 'streamError', streamId: 1, code: 'H2_ERR_PROTOCOL', h2Code: 'PROTOCOL_ERROR', scope: 'stream' }]);
  });
});

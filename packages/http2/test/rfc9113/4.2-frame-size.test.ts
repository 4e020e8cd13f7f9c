import { serializeFrame, serializeRawFrame, SettingId } from '../../src/index.js';
import { connected, frames, get, headersFrame, summary, withRequest, written } from '../helpers.js';

describe('RFC 9113 §4.2 frame size', () => {
  it('accepts a frame of exactly SETTINGS_MAX_FRAME_SIZE (16384) octets', () => {
    const { h2, enc } = withRequest();
    h2.receive(frames(headersFrame(enc, 1, [[':status', '200']])));
    const events = h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(16384) }));
    expect(events.map((e) => e.type)).toEqual(['data']);
  });

  it('treats a frame of 16385 octets as a FRAME_SIZE_ERROR connection error', () => {
    const { h2 } = withRequest();
    const events = h2.receive(serializeRawFrame(0, 0, 1, new Uint8Array(16385)).subarray(0, 9));
    expect(summary(events)).toEqual([{ type: 'error', code: 'H2_ERR_FRAME_SIZE', h2Code: 'FRAME_SIZE_ERROR', scope: 'connection' }]);
    expect(written(h2)).toEqual([expect.objectContaining({ type: 'goAway', errorCode: 6 })]);
  });

  it('honours a larger maxFrameSizeReceived: N accepted, N+1 refused', () => {
    const ok = withRequest({ maxFrameSizeReceived: 20000 });
    ok.h2.receive(frames(headersFrame(ok.enc, 1, [[':status', '200']])));
    expect(ok.h2.receive(frames({ type: 'data', streamId: 1, data: new Uint8Array(20000) }))[0]?.type).toBe('data');
    const bad = withRequest({ maxFrameSizeReceived: 20000 });
    expect(bad.h2.receive(serializeRawFrame(0, 0, 1, new Uint8Array(20001)))[0]?.type).toBe('error');
  });

  it('cuts outgoing DATA to the server SETTINGS_MAX_FRAME_SIZE', () => {
    const h2 = connected({}, { type: 'settings', settings: [[SettingId.MAX_FRAME_SIZE, 20000]] });
    const id = h2.request([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]);
    h2.sendData(id, new Uint8Array(50000), { endStream: true });
    const sizes = written(h2).filter((f) => f.type === 'data').map((f) => (f.type === 'data' ? f.data.length : 0));
    expect(sizes).toEqual([20000, 20000, 10000]);
  });

  it('honours maxFrameSizeSent below the server limit', () => {
    const h2 = connected({ maxFrameSizeSent: 16384 }, { type: 'settings', settings: [[SettingId.MAX_FRAME_SIZE, 100000]] });
    const id = h2.request([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]);
    h2.sendData(id, new Uint8Array(40000), { endStream: true });
    const sizes = written(h2).filter((f) => f.type === 'data').map((f) => (f.type === 'data' ? f.data.length : 0));
    expect(sizes).toEqual([16384, 16384, 7232]);
  });

  it('splits a header block larger than the frame size into HEADERS and CONTINUATION (§4.3)', () => {
    const h2 = connected({ huffman: 'never' });
    h2.request([...get(), ['x-big', 'a'.repeat(40000)]], { endStream: true });
    const out = written(h2);
    expect(out.map((f) => f.type)).toEqual(['headers', 'continuation', 'continuation']);
    expect(out[0]).toMatchObject({ endHeaders: false, endStream: true });
    expect(out[2]).toMatchObject({ endHeaders: true });
    expect(serializeFrame(out[0]!).length).toBe(16384 + 9);
  });
});

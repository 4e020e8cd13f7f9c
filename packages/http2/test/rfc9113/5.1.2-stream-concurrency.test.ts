import { SettingId } from '../../src/index.js';
import { connected, frames, get, headersFrame, serverEncoder, written } from '../helpers.js';

const limit2 = { type: 'settings' as const, settings: [[SettingId.MAX_CONCURRENT_STREAMS, 2]] as Array<[number, number]> };

describe('RFC 9113 §5.1.2 stream concurrency (the server SETTINGS_MAX_CONCURRENT_STREAMS)', () => {
  it('refuses a request over the limit by default (Gun: too_many_streams), N allowed, N+1 refused', () => {
    const h2 = connected({}, limit2);
    h2.request(get());
    h2.request(get());
    expect(h2.canOpenStream()).toBe(false);
    expect(() => h2.request(get())).toThrow(expect.objectContaining({ code: 'H2_ERR_TOO_MANY_STREAMS', origin: 'local' }));
  });

  it('holds requests over the limit with onStreamLimit queue, sending them as streams close', () => {
    const h2 = connected({ onStreamLimit: 'queue' }, limit2);
    const enc = serverEncoder();
    expect([h2.request(get(), { endStream: true }), h2.request(get(), { endStream: true }), h2.request(get(), { endStream: true })]).toEqual([1, 3, 5]);
    expect(written(h2).map((f) => f.streamId)).toEqual([1, 3]);
    h2.receive(frames(headersFrame(enc, 1, [[':status', '204']], true)));
    expect(written(h2)).toEqual([expect.objectContaining({ type: 'headers', streamId: 5, endStream: true })]);
  });

  it('queues body data of a held request and sends it after its HEADERS', () => {
    const h2 = connected({ onStreamLimit: 'queue' }, { type: 'settings', settings: [[SettingId.MAX_CONCURRENT_STREAMS, 1]] });
    h2.request(get(), { endStream: true });
    const id = h2.request([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']]);
    h2.sendData(id, new Uint8Array([1, 2]), { endStream: true });
    expect(h2.bufferedAmount(id)).toBe(2);
    written(h2);
    h2.receive(frames({ type: 'rstStream', streamId: 1, errorCode: 0 }));
    expect(written(h2).map((f) => [f.type, f.streamId])).toEqual([['headers', 3], ['data', 3]]);
  });

  it('frees a slot when the client resets a stream', () => {
    const h2 = connected({}, { type: 'settings', settings: [[SettingId.MAX_CONCURRENT_STREAMS, 1]] });
    h2.request(get());
    h2.resetStream(1);
    expect(h2.request(get())).toBe(3);
  });

  it('refuses pushed streams beyond our own advertised limit with REFUSED_STREAM', () => {
    const h2 = connected({ maxConcurrentStreams: 0 });
    const enc = serverEncoder();
    h2.request(get(), { endStream: true });
    h2.receive(frames({ type: 'pushPromise', streamId: 1, promisedStreamId: 2, fragment: enc.encode(get('/p')) }));
    const events = h2.receive(frames(headersFrame(enc, 2, [[':status', '200']])));
    expect(events).toEqual([expect.objectContaining({ type: 'streamError', streamId: 2 })]);
    expect(events[0]?.type === 'streamError' && events[0].error.h2Code).toBe('REFUSED_STREAM');
  });
});

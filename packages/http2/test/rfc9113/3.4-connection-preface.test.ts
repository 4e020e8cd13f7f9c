import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { CLIENT_PREFACE, Http2ClientConnection, SettingId, serializeFrame, type Http2Event } from '../../src/index.js';
import { concat, frames, parseOutput, SERVER_SETTINGS, SETTINGS_ACK, types } from '../helpers.js';

function started(options = {}): Http2ClientConnection {
  const h2 = new Http2ClientConnection(options);
  h2.start();
  return h2;
}

function errorCode(events: Http2Event[]): unknown {
  return events.map((e) => (e.type === 'error' ? { type: 'error', code: e.error.code, h2Code: e.error.h2Code, scope: e.error.scope } : e.type));
}

describe('RFC 9113 §3.4 HTTP/2 connection preface', () => {
  it('starts with the magic, then SETTINGS without default values, then the connection WINDOW_UPDATE (Gun defaults)', () => {
    const h2 = started();
    const out = h2.takeOutput();
    expect(out[0]).toEqual(CLIENT_PREFACE);
    const [settings, update, ...rest] = parseOutput(out, true);
    expect(settings).toEqual({ type: 'settings', streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 8000000]] });
    expect(update).toEqual({ type: 'windowUpdate', streamId: 0, increment: 8000000 - 65535 });
    expect(rest).toEqual([]);
    expect(h2.state).toBe('awaitingSettings');
    expect(h2.settingsAckPending).toBe(true);
  });

  it('sends every non-default local setting and no WINDOW_UPDATE when the connection window stays 65535', () => {
    const h2 = started({
      initialConnectionWindowSize: 65535, initialStreamWindowSize: 65535, maxDecodeTableSize: 8192, enablePush: false,
      maxConcurrentStreams: 10, maxFrameSizeReceived: 32768, maxHeaderListSize: 10000,
    });
    const f = parseOutput(h2.takeOutput(), true);
    expect(f).toEqual([{
      type: 'settings', streamId: 0, ack: false,
      settings: [[1, 8192], [2, 0], [3, 10], [5, 32768], [6, 10000]],
    }]);
  });

  it('acknowledges the server SETTINGS and reports them (RFC 9113 §6.5.3)', () => {
    const h2 = started();
    h2.takeOutput();
    const events = h2.receive(serializeFrame({ type: 'settings', settings: [[SettingId.MAX_CONCURRENT_STREAMS, 100]] }));
    expect(types(events)).toEqual(['settings']);
    expect(parseOutput(h2.takeOutput())).toEqual([{ type: 'settings', streamId: 0, ack: true, settings: [] }]);
    expect(h2.state).toBe('open');
    expect(h2.receive(SETTINGS_ACK)).toEqual([{ type: 'settingsAck' }]);
    expect(h2.settingsAckPending).toBe(false);
  });

  it('decodes the server preface the same on every chunking', () => {
    const bytes = concat(SERVER_SETTINGS, SETTINGS_ACK, frames({ type: 'ping', opaque: new Uint8Array(8) }));
    expectEventsForAllChunkings(() => started(), bytes, ['settings', 'settingsAck', 'ping'], { normalize: types });
  });

  it('treats a first frame other than SETTINGS as a PROTOCOL_ERROR connection error', () => {
    const bytes = frames({ type: 'ping', opaque: new Uint8Array(8) });
    expectEventsForAllChunkings(() => started(), bytes, [{ type: 'error', code: 'H2_ERR_PREFACE', h2Code: 'PROTOCOL_ERROR', scope: 'connection' }], { normalize: errorCode });
  });

  it('treats a SETTINGS ACK as the first frame as a PROTOCOL_ERROR connection error', () => {
    expect(errorCode(started().receive(SETTINGS_ACK))).toEqual([{ type: 'error', code: 'H2_ERR_PREFACE', h2Code: 'PROTOCOL_ERROR', scope: 'connection' }]);
  });

  it('names an HTTP/1 response distinctly (Gun: "Appears to be an HTTP/1 response?")', () => {
    const bytes = new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n');
    expectEventsForAllChunkings(() => started(), bytes, [{ type: 'error', code: 'H2_ERR_PREFACE_HTTP1', h2Code: 'PROTOCOL_ERROR', scope: 'connection' }], { normalize: errorCode });
  });

  it('writes GOAWAY PROTOCOL_ERROR and closes after a bad preface', () => {
    const h2 = started();
    h2.takeOutput();
    h2.receive(new TextEncoder().encode('HTTP/1.1 200 OK\r\n'));
    expect(parseOutput(h2.takeOutput())).toEqual([{ type: 'goAway', streamId: 0, lastStreamId: 0, errorCode: 1, debugData: new Uint8Array(0) }]);
    expect(h2.state).toBe('closed');
    expect(h2.receive(SERVER_SETTINGS)).toEqual([]);
  });

  it('throws a local error when start() is called twice or receive() before start()', () => {
    const h2 = started();
    expect(() => h2.start()).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_STATE', origin: 'local' }));
    expect(() => new Http2ClientConnection().receive(SERVER_SETTINGS)).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_STATE' }));
  });
});

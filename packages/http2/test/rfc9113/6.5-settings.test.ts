import { DEFAULT_SETTINGS, Http2ClientConnection, serializeFrame, SettingId } from '../../src/index.js';
import { connected, get, parseOutput, summary, written } from '../helpers.js';

function firstSettings(settings: Array<[number, number]>): unknown[] {
  const h2 = new Http2ClientConnection();
  h2.start();
  return summary(h2.receive(serializeFrame({ type: 'settings', settings })));
}

const settingsError = (h2Code: string): unknown[] => [{ type: 'error', code: 'H2_ERR_SETTINGS', h2Code, scope: 'connection' }];

describe('RFC 9113 §6.5 SETTINGS', () => {
  it('reports the full remote settings, defaults merged, including enableConnectProtocol (RFC 8441)', () => {
    const events = firstSettings([[SettingId.MAX_CONCURRENT_STREAMS, 100], [SettingId.ENABLE_CONNECT_PROTOCOL, 1]]);
    expect(events).toEqual([{ type: 'settings', settings: { ...DEFAULT_SETTINGS, maxConcurrentStreams: 100, enableConnectProtocol: true } }]);
  });

  it('ignores unknown settings (§6.5.2)', () => {
    expect(firstSettings([[0x99, 5]])).toEqual([{ type: 'settings', settings: DEFAULT_SETTINGS }]);
  });

  it.each([
    ['ENABLE_PUSH 1 from a server', SettingId.ENABLE_PUSH, 1, 'PROTOCOL_ERROR'],
    ['ENABLE_PUSH 2', SettingId.ENABLE_PUSH, 2, 'PROTOCOL_ERROR'],
    ['INITIAL_WINDOW_SIZE 2^31', SettingId.INITIAL_WINDOW_SIZE, 2 ** 31, 'FLOW_CONTROL_ERROR'],
    ['MAX_FRAME_SIZE 16383', SettingId.MAX_FRAME_SIZE, 16383, 'PROTOCOL_ERROR'],
    ['MAX_FRAME_SIZE 16777216', SettingId.MAX_FRAME_SIZE, 16777216, 'PROTOCOL_ERROR'],
    ['ENABLE_CONNECT_PROTOCOL 2', SettingId.ENABLE_CONNECT_PROTOCOL, 2, 'PROTOCOL_ERROR'],
  ])('treats %s as a %s connection error', (_name, id, value, h2Code) => {
    expect(firstSettings([[id, value]])).toEqual(settingsError(h2Code));
  });

  it.each([
    ['ENABLE_PUSH 0', SettingId.ENABLE_PUSH, 0],
    ['INITIAL_WINDOW_SIZE 2^31-1', SettingId.INITIAL_WINDOW_SIZE, 2 ** 31 - 1],
    ['MAX_FRAME_SIZE 16384', SettingId.MAX_FRAME_SIZE, 16384],
    ['MAX_FRAME_SIZE 16777215', SettingId.MAX_FRAME_SIZE, 16777215],
  ])('accepts %s (the limit itself)', (_name, id, value) => {
    expect(firstSettings([[id, value]]).map((e) => (e as { type: string }).type)).toEqual(['settings']);
  });

  it('treats ENABLE_CONNECT_PROTOCOL going from 1 to 0 as a PROTOCOL_ERROR (RFC 8441 §3)', () => {
    const h2 = connected({}, { type: 'settings', settings: [[SettingId.ENABLE_CONNECT_PROTOCOL, 1]] });
    expect(h2.remoteSettings.enableConnectProtocol).toBe(true);
    expect(summary(h2.receive(serializeFrame({ type: 'settings', settings: [[SettingId.ENABLE_CONNECT_PROTOCOL, 0]] })))).toEqual(settingsError('PROTOCOL_ERROR'));
  });

  it('allows :protocol only once the server enabled extended CONNECT (RFC 8441 §4)', () => {
    const req: Array<[string, string]> = [[':method', 'CONNECT'], [':protocol', 'websocket'], [':scheme', 'http'], [':authority', 'a'], [':path', '/']];
    expect(() => connected().request(req)).toThrow(expect.objectContaining({ code: 'H2_ERR_BAD_ARGUMENT' }));
    const h2 = connected({}, { type: 'settings', settings: [[SettingId.ENABLE_CONNECT_PROTOCOL, 1]] });
    expect(h2.request(req)).toBe(1);
  });

  it('acknowledges every SETTINGS frame, applying values in order (§6.5.3)', () => {
    const h2 = connected();
    h2.receive(serializeFrame({ type: 'settings', settings: [[SettingId.MAX_CONCURRENT_STREAMS, 1], [SettingId.MAX_CONCURRENT_STREAMS, 7]] }));
    expect(written(h2)).toEqual([{ type: 'settings', streamId: 0, ack: true, settings: [] }]);
    expect(h2.remoteSettings.maxConcurrentStreams).toBe(7);
  });

  it('follows the server HEADER_TABLE_SIZE with a size update at the start of the next block (RFC 7541 §4.2)', () => {
    const h2 = connected({}, { type: 'settings', settings: [[SettingId.HEADER_TABLE_SIZE, 0]] });
    h2.request(get(), { endStream: true });
    const [headers] = parseOutput(h2.takeOutput());
    expect(headers?.type === 'headers' && headers.fragment[0]).toBe(0x20);
  });

  it('never indexes beyond maxEncodeTableSize even when the server allows more', () => {
    const h2 = connected({ maxEncodeTableSize: 0 });
    h2.request([...get(), ['x-a', 'b']], { endStream: true });
    const [headers] = parseOutput(h2.takeOutput());
    expect(headers?.type === 'headers' && Array.from(headers.fragment.subarray(0, 1))).toEqual([0x20]);
  });
});

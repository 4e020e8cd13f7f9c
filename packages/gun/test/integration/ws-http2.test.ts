import type { Settings } from 'node:http2';
import { getTestPki } from '@gunhttp/testkit';
import { GunErrors, open } from '../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../src/index.js';
import { startH2WsOrigin } from '../support/h2-ws-origin.js';
import type { H2WsOrigin } from '../support/h2-ws-origin.js';
import { text } from '../support/helpers.js';

/*
 * Websocket over HTTP/2 (RFC 8441 extended CONNECT) through the client, against node:http2 with
 * SETTINGS_ENABLE_CONNECT_PROTOCOL (see support/h2-ws-origin.ts).
 */

const servers: H2WsOrigin[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function startServer(tls: boolean, settings: Settings): Promise<number> {
  const server = await startH2WsOrigin(tls, settings);
  servers.push(server);
  return server.port;
}

/** Connects and waits for the server's SETTINGS, as Gun's tests do before an RFC 8441 upgrade. */
async function connect(port: number, tls: boolean): Promise<{ conn: Connection; settings: Readonly<Record<string, number | boolean>> }> {
  const options: GunOptions = tls
    ? { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem }, http2Opts: { notifySettingsChanged: true } }
    : { retry: 0, protocols: ['http2'], http2Opts: { notifySettingsChanged: true } };
  const conn = open('127.0.0.1', port, options);
  expect(await conn.awaitUp()).toBe('http2');
  const note = await conn.owner.receive((m) => m.type === 'notify' && m.kind === 'settingsChanged', { timeout: 2000 });
  return { conn, settings: (note as Extract<ConnMessage, { kind: 'settingsChanged' }>).settings };
}

describe.each([
  ['h2c', false],
  ['h2 (TLS, ALPN)', true],
] as const)('Websocket over HTTP/2 %s (RFC 8441)', (_name, tls) => {
  let port: number;
  let plainPort: number;
  beforeAll(async () => {
    [port, plainPort] = await Promise.all([startServer(tls, { enableConnectProtocol: true }), startServer(tls, {})]);
  });

  it('upgrades one stream with an extended CONNECT and echoes while a GET runs on another; the connection stays http2', async () => {
    const { conn, settings } = await connect(port, tls);
    expect(settings.enableConnectProtocol).toBe(true);
    const ws = conn.wsUpgrade('/chat');
    const get = conn.get('/page');
    expect(await conn.await(ws)).toMatchObject({ type: 'upgrade', protocols: ['websocket'], streamRef: ws });
    conn.wsSend(ws, [{ type: 'text', data: 'over h2 ✓' }, { type: 'binary', data: Uint8Array.of(9, 8) }]);
    expect(await conn.await(get)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(get)).body)).toBe('hello /page');
    expect(await conn.await(ws)).toMatchObject({ type: 'ws', frame: { type: 'text', data: 'over h2 ✓' } });
    expect(await conn.await(ws)).toMatchObject({ type: 'ws', frame: { type: 'binary', data: Uint8Array.of(9, 8) } });
    expect(conn.info().protocol).toBe('http2');

    conn.wsSend(ws, { type: 'close', code: 1000 });
    expect(await conn.await(ws)).toMatchObject({ type: 'ws', frame: { type: 'close', code: 1000 } });
    // The connection goes on after the Websocket's close handshake.
    const again = conn.get('/again');
    await conn.await(again);
    expect(text((await conn.awaitBody(again)).body)).toBe('hello /again');
    conn.close();
  });

  it('sends a PING on the Websocket stream every wsOpts.keepalive ms; the pong arrives with silencePings: false', async () => {
    const { conn } = await connect(port, tls);
    const ws = conn.wsUpgrade('/chat', [], { keepalive: 10, silencePings: false });
    expect(await conn.await(ws)).toMatchObject({ type: 'upgrade' });
    expect(await conn.await(ws, 1000)).toMatchObject({ type: 'ws', frame: { type: 'pong' } });
    expect(await conn.await(ws, 1000)).toMatchObject({ type: 'ws', frame: { type: 'pong' } });
    conn.close();
  });

  it("postpones an upgrade made before the server's SETTINGS until they arrive (RFC 8441 §3)", async () => {
    for (const p of [port, plainPort]) {
      const conn = open('127.0.0.1', p, tls ? { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem } } : { retry: 0, protocols: ['http2'] });
      const ws = conn.wsUpgrade('/chat');
      if (p === port) {
        expect(await conn.await(ws)).toMatchObject({ type: 'upgrade', protocols: ['websocket'] });
        conn.wsSend(ws, { type: 'text', data: 'early' });
        expect(await conn.await(ws)).toMatchObject({ type: 'ws', frame: { type: 'text', data: 'early' } });
      } else {
        await expect(conn.await(ws)).rejects.toMatchObject({ cause: { code: 'TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED' } });
      }
      conn.close();
    }
  });

  it('gives the stream error TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED when the server did not enable it (RFC 8441 §3)', async () => {
    const { conn, settings } = await connect(plainPort, tls);
    expect(settings.enableConnectProtocol).not.toBe(true);
    const ws = conn.wsUpgrade('/chat');
    await expect(conn.await(ws)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code: 'TUNNEL_ERR_CONNECT_PROTOCOL_DISABLED' } });
    conn.close();
  });
});

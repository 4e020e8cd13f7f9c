import { getHeader } from '@gunhttp/core';
import type { StreamRef, WsFrame } from '@gunhttp/core';
import { getTestPki, requireWsPeer, startHypercorn, startPythonWebsockets } from '@gunhttp/testkit';
import type { PythonWsPeer } from '@gunhttp/testkit';
import { open } from '../../src/index.js';
import type { ConnMessage, Connection, GunOptions, WsOpts } from '../../src/index.js';
import { connectTo, text } from '../support/helpers.js';

/*
 * The client against Websocket servers from Debian (PEERS.md): python3-websockets 10.4 (RFC 6455
 * with permessage-deflate, RFC 7692) and hypercorn 0.13.2 (RFC 6455 over an HTTP/1.1 upgrade, and
 * RFC 8441 over h2c and over h2 with TLS). The suites fail in CI when a peer is missing.
 */

const conns: Connection[] = [];
afterEach(() => {
  for (const c of conns.splice(0)) c.close();
});

async function frame(conn: Connection, ref: StreamRef): Promise<WsFrame> {
  const m = await conn.await(ref, 3000);
  if (m.type !== 'ws') throw new Error(`expected a ws message, got ${m.type}`);
  return m.frame;
}

async function upgradeOver(conn: Connection, path: string, wsOpts: WsOpts = {}): Promise<{ ref: StreamRef; headers: ReadonlyArray<readonly [string, string]> }> {
  const ref = conn.wsUpgrade(path, [], wsOpts);
  const m = await conn.await(ref, 3000);
  if (m.type !== 'upgrade') throw new Error(`expected an upgrade message, got ${m.type}`);
  return { ref, headers: m.headers };
}

const down = (conn: Connection): Promise<ConnMessage> => conn.owner.receive((m) => m.type === 'down', { timeout: 3000 });

async function connect(port: number, options: GunOptions = {}): Promise<Connection> {
  const conn = await connectTo(port, options);
  conns.push(conn);
  return conn;
}

(requireWsPeer('websockets') ? describe : describe.skip)('python3-websockets 10.4 (RFC 6455, RFC 7692)', () => {
  let peer: PythonWsPeer;
  beforeAll(async () => {
    peer = await startPythonWebsockets();
  });
  afterAll(() => peer.stop());

  it('negotiates permessage-deflate (RFC 7692 §7.1) and echoes text and binary, compressible and not', async () => {
    const conn = await connect(peer.port);
    const { ref, headers } = await upgradeOver(conn, '/', { compress: true });
    expect(getHeader([...headers] as Array<[string, string]>, 'sec-websocket-extensions')).toMatch(/^permessage-deflate/);
    const big = 'compress me, again and again. '.repeat(4000);
    const noise = Uint8Array.from({ length: 70000 }, (_, i) => (i * 2654435761) >>> 24);
    conn.wsSend(ref, [{ type: 'text', data: 'héllo ✓' }, { type: 'binary', data: noise }, { type: 'text', data: big }, { type: 'text', data: big }, { type: 'binary', data: new Uint8Array(0) }]);
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'héllo ✓' });
    expect(await frame(conn, ref)).toEqual({ type: 'binary', data: noise });
    // The second copy uses the sliding window of the first (context takeover, RFC 7692 §7.2.3).
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: big });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: big });
    expect(await frame(conn, ref)).toEqual({ type: 'binary', data: new Uint8Array(0) });
  });

  it('works without compression when not offered', async () => {
    const conn = await connect(peer.port);
    const { ref, headers } = await upgradeOver(conn, '/');
    expect(getHeader([...headers] as Array<[string, string]>, 'sec-websocket-extensions')).toBeUndefined();
    conn.wsSend(ref, { type: 'binary', data: Uint8Array.of(1, 2, 3) });
    expect(await frame(conn, ref)).toEqual({ type: 'binary', data: Uint8Array.of(1, 2, 3) });
  });

  it('gets a pong with the ping payload (RFC 6455 §5.5.3), and answers the server ping (silencePings: false)', async () => {
    const conn = await connect(peer.port);
    const { ref } = await upgradeOver(conn, '/', { compress: true, silencePings: false });
    conn.wsSend(ref, { type: 'ping', data: Uint8Array.of(7, 7) });
    expect(await frame(conn, ref)).toEqual({ type: 'pong', data: Uint8Array.of(7, 7) });
    // ping-me: the server pings with `hi`, then echoes; its `await ws.ping()` is not awaited for the pong.
    conn.wsSend(ref, { type: 'text', data: 'ping-me' });
    expect(await frame(conn, ref)).toEqual({ type: 'ping', data: new TextEncoder().encode('hi') });
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'ping-me' });
  });

  it('delivers a server-initiated close (4000 bye), echoes it and goes down normally (RFC 6455 §5.5.1)', async () => {
    const conn = await connect(peer.port);
    const { ref } = await upgradeOver(conn, '/', { compress: true });
    conn.wsSend(ref, { type: 'text', data: 'close-me' });
    expect(await frame(conn, ref)).toEqual({ type: 'close', code: 4000, reason: 'bye' });
    expect(await down(conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: 'normal', killedStreams: [ref] });
  });

  it('closes from our side: the server echoes the close (RFC 6455 §7.1.2)', async () => {
    const conn = await connect(peer.port);
    const { ref } = await upgradeOver(conn, '/', { compress: true });
    conn.wsSend(ref, { type: 'close', code: 1000, reason: 'done' });
    expect(await frame(conn, ref)).toEqual({ type: 'close', code: 1000, reason: 'done' });
    expect(await down(conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: 'normal' });
  });
});

(requireWsPeer('hypercorn') ? describe : describe.skip)('hypercorn 0.13.2 (RFC 6455 over HTTP/1.1, RFC 8441 over HTTP/2)', () => {
  let peer: PythonWsPeer;
  beforeAll(async () => {
    peer = await startHypercorn({ tls: true });
  });
  afterAll(() => peer.stop());

  it('upgrades over HTTP/1.1 at any path, echoes, and closes on the server close (4000)', async () => {
    const conn = await connect(peer.port);
    const { ref } = await upgradeOver(conn, '/some/path');
    expect(conn.info().protocol).toBe('ws');
    conn.wsSend(ref, [{ type: 'text', data: 'h1 ✓' }, { type: 'binary', data: Uint8Array.of(0, 255) }, { type: 'text', data: 'close-me' }]);
    expect(await frame(conn, ref)).toEqual({ type: 'text', data: 'h1 ✓' });
    expect(await frame(conn, ref)).toEqual({ type: 'binary', data: Uint8Array.of(0, 255) });
    expect(await frame(conn, ref)).toMatchObject({ type: 'close', code: 4000 });
    expect(await down(conn)).toMatchObject({ type: 'down', protocol: 'ws', reason: 'normal' });
  });

  /** An HTTP/2 connection that has seen the server's SETTINGS (RFC 8441 §3: extended CONNECT only once enabled). */
  async function h2Connect(tls: boolean): Promise<Connection> {
    const options: GunOptions = tls
      ? { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem }, http2Opts: { notifySettingsChanged: true } }
      : { retry: 0, protocols: ['http2'], http2Opts: { notifySettingsChanged: true } };
    const conn = open('127.0.0.1', tls ? peer.tlsPort! : peer.port, options);
    conns.push(conn);
    expect(await conn.awaitUp()).toBe('http2');
    const note = await conn.owner.receive((m) => m.type === 'notify' && m.kind === 'settingsChanged', { timeout: 3000 });
    expect((note as Extract<ConnMessage, { kind: 'settingsChanged' }>).settings.enableConnectProtocol).toBe(true);
    return conn;
  }

  describe.each([
    ['h2c (prior knowledge)', false],
    ['h2 (TLS, ALPN)', true],
  ] as const)('RFC 8441 over %s', (_name, tls) => {
    it('the Websocket in one stream echoes while a GET runs on another; the server close is delivered', async () => {
      const conn = await h2Connect(tls);
      const ws = conn.wsUpgrade('/chat');
      const get = conn.get('/page');
      expect(await conn.await(ws, 3000)).toMatchObject({ type: 'upgrade', protocols: ['websocket'], streamRef: ws });
      conn.wsSend(ws, [{ type: 'text', data: 'over h2 ✓' }, { type: 'binary', data: new Uint8Array(40000).fill(3) }]);
      expect(await conn.await(get, 3000)).toMatchObject({ type: 'response', status: 200 });
      expect(text((await conn.awaitBody(get, 3000)).body)).toBe('hello /page over 2');
      expect(await frame(conn, ws)).toEqual({ type: 'text', data: 'over h2 ✓' });
      expect(await frame(conn, ws)).toEqual({ type: 'binary', data: new Uint8Array(40000).fill(3) });
      expect(conn.info().protocol).toBe('http2');

      conn.wsSend(ws, { type: 'text', data: 'close-me' });
      expect(await frame(conn, ws)).toMatchObject({ type: 'close', code: 4000 });
      // Not checked: that the connection goes on. hypercorn 0.13.2 drops the TCP connection when
      // DATA (our close reply) arrives on a stream it has ended, which RFC 9113 §5.1 allows.
    });

    /*
     * FAILS today: the client sends END_STREAM (RFC 8441 §5: the TCP FIN of RFC 6455) with its
     * close frame instead of waiting for the server's close (RFC 6455 §7.1.1: the server SHOULD
     * close first), and hypercorn 0.13.2 drops the connection on that END_STREAM without replying.
     */
    it('our close: the server answers with its close frame (RFC 6455 §5.5.1, §7.1.1)', async () => {
      const conn = await h2Connect(tls);
      const ws = conn.wsUpgrade('/chat');
      expect(await conn.await(ws, 3000)).toMatchObject({ type: 'upgrade', streamRef: ws });
      conn.wsSend(ws, { type: 'close', code: 1000 });
      expect(await frame(conn, ws)).toMatchObject({ type: 'close', code: 1000 });
    });
  });
});

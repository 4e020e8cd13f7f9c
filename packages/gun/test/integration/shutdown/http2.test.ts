import { constants } from 'node:http2';
import { GunErrors, Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../../src/index.js';
import { text } from '../../support/helpers.js';
import { UNEXPECTED, ownerDownWith } from './owner-exit.js';
import { serverPerTest, startGoawayServer, startH2Server, startLatePushServer } from './servers.js';
import type { H2Server } from './servers.js';

/*
 * Gun's shutdown_SUITE over HTTP/2 (Gun §5.8, RFC 9113 §6.8) against node:http2 (h2c, prior
 * knowledge) on 127.0.0.1: our GOAWAY(NO_ERROR), streams in flight complete, PUSH_PROMISEs after
 * our GOAWAY are refused and never reported; a server GOAWAY with retry 0 ends the connection.
 */

const NO_ERROR = constants.NGHTTP2_NO_ERROR;
const CANCEL = constants.NGHTTP2_CANCEL;

let server: H2Server;
const conns: Connection[] = [];
serverPerTest(startH2Server, (started) => (server = started), conns);

async function connect(port: number, options: GunOptions = {}): Promise<Connection> {
  const conn = open('127.0.0.1', port, { protocols: ['http2'], ...options });
  conns.push(conn);
  expect(await conn.awaitUp()).toBe('http2');
  return conn;
}

async function expectHello(conn: Connection, ref: ReturnType<Connection['get']>): Promise<void> {
  expect(await conn.await(ref, 2000)).toMatchObject({ type: 'response', fin: false, status: 200 });
  expect(text((await conn.awaitBody(ref, 2000)).body)).toBe('Hello world!');
}

const noDown = (conn: Connection): void => expect(conn.owner.poll((m) => m.type === 'down')).toBeUndefined();

describe('graceful shutdown over HTTP/2 (Gun shutdown_SUITE, §5.8)', () => {
  it('http2_gun_shutdown_no_streams: shutdown() sends GOAWAY(NO_ERROR) and ends at once, reason shutdown, no down', async () => {
    const conn = await connect(server.port);
    conn.shutdown();
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
    expect(await server.goaway).toBe(NO_ERROR);
    expect(server.goaways).toEqual([NO_ERROR]);
  });

  it('http2_gun_shutdown_one_stream: the stream in flight completes after our GOAWAY, then the connection ends', async () => {
    const conn = await connect(server.port);
    const ref = conn.get('/delayed');
    const held = await server.nextHeld();
    conn.shutdown();
    expect(await server.goaway).toBe(NO_ERROR);
    expect(server.goaways).toEqual([NO_ERROR]);
    expect(conn.info().stateName).toBe('closing');
    held.release();
    await expectHello(conn, ref);
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('http2_gun_shutdown_many_streams: every stream in flight completes', async () => {
    const conn = await connect(server.port);
    const refs = [conn.get('/delayed'), conn.get('/delayed'), conn.get('/delayed')];
    const held = [await server.nextHeld(), await server.nextHeld(), await server.nextHeld()];
    conn.shutdown();
    expect(await server.goaway).toBe(NO_ERROR);
    for (const h of held) h.release();
    for (const ref of refs) await expectHello(conn, ref);
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('http2_gun_shutdown_timeout: closingTimeout expires before the response, the stream dies, reason shutdown', async () => {
    const conn = await connect(server.port, { http2Opts: { closingTimeout: 200 } });
    const ref = conn.get('/delayed');
    await server.nextHeld();
    conn.shutdown();
    // Gun's {stream_error, {closed, shutdown}}: the stream error GUN_ERR_CLOSED.
    await expect(conn.await(ref, 2000)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code: GunErrors.CLOSED } });
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('http2_gun_shutdown_ignore_push_promise: a push promised after our GOAWAY is refused (RST_STREAM CANCEL) and never reported', async () => {
    const late = await startLatePushServer();
    try {
      const conn = await connect(late.port);
      const ref = conn.get('/delayed_push');
      conn.shutdown();
      await late.sent;
      await expectHello(conn, ref);
      expect(await conn.terminated).toBe('shutdown');
      expect(conn.owner.poll((m) => m.type === 'push' || ('streamRef' in m && m.streamRef !== ref))).toBeUndefined();
      noDown(conn);
      await late.clientClosed();
      expect(late.clientGoAways()).toEqual([NO_ERROR]);
      expect(late.clientResets()).toEqual([{ streamId: 2, errorCode: CANCEL }]);
    } finally {
      await late.close();
    }
  });

  it('http2_owner_down: the owner closing normally sends GOAWAY(NO_ERROR), the stream completes, reason normal', async () => {
    const owner = new Mailbox<ConnMessage>();
    const conn = await connect(server.port, { owner });
    const side = new Mailbox<ConnMessage>();
    const ref = conn.get('/delayed', undefined, { replyTo: side });
    const held = await server.nextHeld();
    owner.close();
    expect(await server.goaway).toBe(NO_ERROR);
    expect(server.goaways).toEqual([NO_ERROR]);
    held.release();
    await expectHello(conn, ref);
    expect(await conn.terminated).toBe('normal');
  });

  it('http2_owner_down_error: the owner failing still sends GOAWAY(NO_ERROR) (Gun closes with owner_down), reason {shutdown, {owner_down, unexpected}}', async () => {
    const owner = new Mailbox<ConnMessage>();
    const conn = await connect(server.port, { owner });
    owner.close(UNEXPECTED);
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
    expect(await server.goaway).toBe(NO_ERROR);
    expect(server.goaways).toEqual([NO_ERROR]);
  });
});

describe('server GOAWAY with retry 0 (Gun shutdown_SUITE, RFC 9113 §6.8)', () => {
  it('http2_server_goaway_no_streams: the client answers with one GOAWAY(NO_ERROR), goes down and ends, reason normal', async () => {
    const goaway = await startGoawayServer(0);
    try {
      const conn = await connect(goaway.port, { retry: 0 });
      await goaway.sent;
      expect(await conn.terminated).toBe('normal');
      expect(conn.owner.poll((m) => m.type === 'down')).toMatchObject({ reason: 'normal', killedStreams: [] });
      await goaway.clientClosed();
      expect(goaway.clientGoAways()).toEqual([NO_ERROR]);
    } finally {
      await goaway.close();
    }
  });

  it('http2_server_goaway_one_stream: the stream the server kept completes, then the connection ends', async () => {
    const goaway = await startGoawayServer(1);
    try {
      const conn = await connect(goaway.port, { retry: 0 });
      const ref = conn.get('/');
      (await goaway.sent).release();
      expect(await conn.await(ref, 2000)).toMatchObject({ type: 'response', fin: true, status: 200 });
      expect(await conn.terminated).toBe('normal');
      await goaway.clientClosed();
      expect(goaway.clientGoAways()).toEqual([NO_ERROR]);
    } finally {
      await goaway.close();
    }
  });

  it('http2_server_goaway_many_streams: every stream the server kept completes, then the connection ends', async () => {
    const goaway = await startGoawayServer(3);
    try {
      const conn = await connect(goaway.port, { retry: 0 });
      const refs = [conn.get('/'), conn.get('/'), conn.get('/')];
      (await goaway.sent).release();
      for (const ref of refs) expect(await conn.await(ref, 2000)).toMatchObject({ type: 'response', fin: true, status: 200 });
      expect(await conn.terminated).toBe('normal');
      await goaway.clientClosed();
      expect(goaway.clientGoAways()).toEqual([NO_ERROR]);
    } finally {
      await goaway.close();
    }
  });
});

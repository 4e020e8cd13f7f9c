import type { StreamRef, WsFrame } from '@gunhttp/core';
import { Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions, WsOpts } from '../../../src/index.js';
import { UNEXPECTED, ownerDownWith } from './owner-exit.js';
import { serverPerTest, startWsServer } from './servers.js';
import type { WsServer } from './servers.js';

/*
 * Gun's shutdown_SUITE over Websocket (Gun §5.8, RFC 6455 §7.1) against the `ws` server on
 * 127.0.0.1: a shutdown or the owner's exit sends close 1001 and waits for the server's close
 * (at most `closingTimeout` ms); a close frame sent or received with retry 0 ends the connection.
 */

const GOING_AWAY = 1001;
let server: WsServer;
const conns: Connection[] = [];
serverPerTest(startWsServer, (started) => (server = started), conns);

/** An HTTP/1.1 connection upgraded on `path`; the server side of that Websocket. */
async function upgraded(path: string, options: GunOptions = {}, wsOpts?: WsOpts): Promise<{ conn: Connection; ref: StreamRef; side: Awaited<ReturnType<WsServer['nextSocket']>> }> {
  const conn = open('127.0.0.1', server.port, options);
  conns.push(conn);
  expect(await conn.awaitUp()).toBe('http');
  const ref = conn.wsUpgrade(path, undefined, wsOpts);
  expect(await conn.await(ref, 2000)).toMatchObject({ type: 'upgrade', protocols: ['websocket'] });
  return { conn, ref, side: await server.nextSocket() };
}

async function frame(conn: Connection, ref: StreamRef): Promise<WsFrame> {
  const m = await conn.await(ref, 2000);
  if (m.type !== 'ws') throw new Error(`expected a ws message, got ${m.type}`);
  return m.frame;
}

const noDown = (conn: Connection): void => expect(conn.owner.poll((m) => m.type === 'down')).toBeUndefined();

describe('graceful shutdown over Websocket (Gun shutdown_SUITE, §5.8)', () => {
  it('ws_gun_shutdown: shutdown() sends close 1001, the server answers, the connection ends (shutdown, no down)', async () => {
    const { conn, side } = await upgraded('/ws');
    conn.shutdown();
    expect(await side.closeCode).toBe(GOING_AWAY);
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('ws_gun_shutdown_timeout: the server never answers our close; closingTimeout ends the connection (shutdown)', async () => {
    const { conn } = await upgraded('/ws_frozen', {}, { closingTimeout: 200 });
    conn.shutdown();
    expect(conn.info().stateName).toBe('closing');
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('ws_owner_down: the owner closing normally sends close 1001 and ends the connection (normal)', async () => {
    const owner = new Mailbox<ConnMessage>();
    const { conn, side } = await upgraded('/ws', { owner });
    owner.close();
    expect(await side.closeCode).toBe(GOING_AWAY);
    expect(await conn.terminated).toBe('normal');
  });

  it('ws_owner_down_error: the owner failing sends close 1001 too and ends with {shutdown, {owner_down, unexpected}}', async () => {
    const owner = new Mailbox<ConnMessage>();
    const { conn, side } = await upgraded('/ws', { owner });
    owner.close(UNEXPECTED);
    expect(await side.closeCode).toBe(GOING_AWAY);
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
  });

  it('ws_gun_send_close_frame: our close 3333 is echoed, then the connection ends with retry 0 (normal)', async () => {
    const { conn, ref, side } = await upgraded('/ws', { retry: 0 });
    conn.wsSend(ref, { type: 'close', code: 3333 });
    expect(await frame(conn, ref)).toMatchObject({ type: 'close', code: 3333 });
    expect(await side.closeCode).toBe(3333);
    expect(await conn.terminated).toBe('normal');
    expect(conn.owner.poll((m) => m.type === 'down')).toMatchObject({ protocol: 'ws', reason: 'normal' });
  });

  it('ws_gun_receive_close_frame: the server closes with 3333, the connection ends with retry 0 (normal)', async () => {
    const { conn, ref } = await upgraded('/ws_timeout_close', { retry: 0 });
    expect(await frame(conn, ref)).toMatchObject({ type: 'close', code: 3333 });
    expect(await conn.terminated).toBe('normal');
    expect(conn.owner.poll((m) => m.type === 'down')).toMatchObject({ protocol: 'ws', reason: 'normal' });
  });
});

import { Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../../src/index.js';
import { UNEXPECTED, ownerDownWith } from './owner-exit.js';
import { serverPerTest, startWsServer } from './servers.js';
import type { WsServer } from './servers.js';

/*
 * Gun's shutdown_SUITE, closing group (Gun §5.8): a shutdown or the owner's exit while the
 * connection is already closing (our Websocket close sent, the server not answering yet) switches
 * the final status: no reconnect, no `down`, the connection ends with that reason.
 */

let server: WsServer;
const conns: Connection[] = [];
serverPerTest(startWsServer, (started) => (server = started), conns);

/** Upgraded on `/ws_frozen` (the server reads nothing until released), then our close 3333 sent. */
async function closing(options: GunOptions = {}): Promise<{ conn: Connection; ref: ReturnType<Connection['wsUpgrade']>; release: () => void }> {
  const conn = open('127.0.0.1', server.port, { retry: 5, ...options });
  conns.push(conn);
  await conn.awaitUp();
  const ref = conn.wsUpgrade('/ws_frozen');
  expect(await conn.await(ref, 2000)).toMatchObject({ type: 'upgrade' });
  const { release } = await server.nextSocket();
  conn.wsSend(ref, { type: 'close', code: 3333 });
  expect(conn.info().stateName).toBe('closing');
  return { conn, ref, release };
}

describe('shutdown while closing (Gun shutdown_SUITE, §5.8)', () => {
  it('closing_gun_shutdown: shutdown() while closing waits for the close, then ends (shutdown, no reconnect, no down)', async () => {
    const { conn, ref, release } = await closing();
    conn.shutdown();
    release();
    expect(await conn.await(ref, 2000)).toMatchObject({ type: 'ws', frame: { type: 'close', code: 3333 } });
    expect(await conn.terminated).toBe('shutdown');
    expect(conn.owner.poll((m) => m.type === 'down' || m.type === 'up')).toBeUndefined();
  });

  it('closing_owner_down: the owner closing normally while closing ends the connection once closed (normal, no reconnect)', async () => {
    const owner = new Mailbox<ConnMessage>();
    const { conn, release } = await closing({ owner });
    owner.close();
    release();
    expect(await conn.terminated).toBe('normal');
    expect(conn.info().stateName).toBe('terminated');
  });

  it('closing_owner_down_error: the owner failing while closing ends it once closed with {shutdown, {owner_down, unexpected}}', async () => {
    const owner = new Mailbox<ConnMessage>();
    const { conn, release } = await closing({ owner });
    owner.close(UNEXPECTED);
    release();
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
    expect(conn.info().stateName).toBe('terminated');
  });
});

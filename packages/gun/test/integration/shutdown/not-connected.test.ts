import { Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection } from '../../../src/index.js';
import { UNEXPECTED, ownerDownWith } from './owner-exit.js';
import { closedPort } from './servers.js';

/*
 * Gun's shutdown_SUITE, not connected (Gun §5.8): a shutdown or the owner's exit while no socket
 * is up ends the connection at once, without waiting for the retries.
 */

let conn: Connection | undefined;
afterEach(() => conn?.close());

/** A connection that keeps failing to connect, with a long wait between attempts. */
async function notConnected(owner?: Mailbox<ConnMessage>): Promise<Connection> {
  return open('127.0.0.1', await closedPort(), { retry: 5, retryTimeout: 60000, ...(owner === undefined ? {} : { owner }) });
}

describe('shutdown while not connected (Gun shutdown_SUITE, §5.8)', () => {
  it('not_connected_gun_shutdown: shutdown() ends the connection at once with reason shutdown, no down', async () => {
    conn = await notConnected();
    expect(conn.info().socket).toBeUndefined();
    conn.shutdown();
    expect(conn.info().stateName).toBe('terminated');
    expect(await conn.terminated).toBe('shutdown');
    expect(conn.owner.poll((m) => m.type === 'down' || m.type === 'up')).toBeUndefined();
  });

  it('not_connected_owner_down: the owner closing normally ends the connection at once with reason normal', async () => {
    const owner = new Mailbox<ConnMessage>();
    conn = await notConnected(owner);
    owner.close();
    expect(conn.info().stateName).toBe('terminated');
    expect(await conn.terminated).toBe('normal');
  });

  it('not_connected_owner_down_error: the owner closing with a failure ends it at once with {shutdown, {owner_down, unexpected}}', async () => {
    const owner = new Mailbox<ConnMessage>();
    conn = await notConnected(owner);
    owner.close(UNEXPECTED);
    expect(conn.info().stateName).toBe('terminated');
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
  });

  it("an owner closing with reason 'shutdown' ends the connection with shutdown (Gun mirrors it)", async () => {
    const owner = new Mailbox<ConnMessage>();
    conn = await notConnected(owner);
    owner.close('shutdown');
    expect(await conn.terminated).toBe('shutdown');
  });
});

import { GunErrors, Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../../src/index.js';
import { recordEvents } from '../../support/helpers.js';
import { serverPerTest, startH1Server } from './servers.js';
import type { H1Server } from './servers.js';

/*
 * Gun's gun:close (Gun §5.8, inventory §1 `close/1`, events 27-28): the supervisor kills the
 * process, so nothing is sent, delivered or reported as the socket goes: no `disconnect`, no
 * `down`. Awaits see the process's end (`{down, shutdown}`); `terminate` is our last event.
 */

let server: H1Server;
const conns: Connection[] = [];
serverPerTest(startH1Server, (started) => (server = started), conns);

async function recorded(options: GunOptions = {}): Promise<{ conn: Connection; names: string[]; events: Array<{ name: string; event: unknown }> }> {
  const { handler, names, events } = recordEvents();
  const conn = open('127.0.0.1', server.port, { protocols: ['http'], eventHandler: handler, ...options });
  conns.push(conn);
  await conn.awaitUp();
  return { conn, names, events };
}

describe('close() (Gun gun:close: the process is killed)', () => {
  it('with a stream in flight: no disconnect event, terminate (shutdown) is the only event after it, no down', async () => {
    const owner = new Mailbox<ConnMessage>();
    const { conn, names, events } = await recorded({ owner });
    conn.get('/delayed');
    const held = await server.nextHeld();
    const before = names.length;
    conn.close();
    expect(names.slice(before)).toEqual(['terminate']);
    expect(events.at(-1)?.event).toEqual({ state: 'connected', reason: 'shutdown' });
    expect(await conn.terminated).toBe('shutdown');
    expect(conn.info()).toMatchObject({ stateName: 'terminated', socket: undefined });
    expect(owner.poll((m) => m.type === 'down')).toBeUndefined();
    held.release();
  });

  it("an await on a stream cut by close() rejects with GUN_ERR_DOWN whose cause is the end's reason (Gun's {down, shutdown})", async () => {
    const { conn } = await recorded();
    const ref = conn.get('/delayed');
    const held = await server.nextHeld();
    const pending = conn.await(ref, 2000);
    conn.close();
    await expect(pending).rejects.toMatchObject({ code: GunErrors.DOWN, cause: 'shutdown' });
    await expect(conn.await(ref, 2000)).rejects.toMatchObject({ code: GunErrors.DOWN, cause: 'shutdown' });
    held.release();
  });

  it('during a graceful shutdown (closing): close() cuts it short, still without disconnect', async () => {
    const { conn, names } = await recorded();
    conn.get('/delayed');
    const held = await server.nextHeld();
    conn.shutdown();
    expect(conn.info().stateName).toBe('closing');
    const before = names.length;
    conn.close();
    expect(names.slice(before)).toEqual(['terminate']);
    expect(names).not.toContain('disconnect');
    expect(await conn.terminated).toBe('shutdown');
    held.release();
  });

  it('a graceful end, by contrast, reports disconnect then terminate (the socket closed while the process lives)', async () => {
    const { conn, names } = await recorded();
    conn.shutdown();
    expect(await conn.terminated).toBe('shutdown');
    expect(names.slice(-2)).toEqual(['disconnect', 'terminate']);
  });
});

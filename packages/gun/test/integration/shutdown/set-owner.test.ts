import { CoreErrors } from '@gunhttp/core';
import { startHttpOrigin } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { GunErrors, Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions } from '../../../src/index.js';
import { text } from '../../support/helpers.js';
import { UNEXPECTED, ownerDownWith } from './owner-exit.js';
import { closedPort, startH1Server } from './servers.js';

/*
 * setOwner (Gun's set_owner, Gun §5.8 owner monitor; quirks Q17, Q24): only the current owner
 * may hand the connection over; the new owner gets `up`/`down` and the streams opened without a
 * replyTo, and its close (not the old owner's) shuts the connection down.
 */

let origin: TestOrigin;
const conns: Connection[] = [];
beforeAll(async () => {
  origin = await startHttpOrigin();
});
afterEach(() => {
  for (const c of conns.splice(0)) c.close();
});
afterAll(() => origin.close());

async function connect(options: GunOptions = {}): Promise<{ conn: Connection; owner: Mailbox<ConnMessage> }> {
  const owner = new Mailbox<ConnMessage>();
  const conn = open('127.0.0.1', origin.port, { retry: 0, owner, ...options });
  conns.push(conn);
  await conn.awaitUp();
  return { conn, owner };
}

describe('setOwner (Gun set_owner)', () => {
  it('refuses a caller that is not the owner with GUN_ERR_NOT_OWNER and keeps the owner (Q24)', async () => {
    const { conn, owner } = await connect();
    const other = new Mailbox<ConnMessage>();
    expect(() => conn.setOwner(other, other)).toThrow(expect.objectContaining({ code: GunErrors.NOT_OWNER, origin: 'local' }));
    expect(conn.info().owner).toBe(owner);
  });

  it('refuses a newOwner that is not a Mailbox with GUN_ERR_BAD_ARGUMENT', async () => {
    const { conn, owner } = await connect();
    expect(() => conn.setOwner({} as Mailbox<ConnMessage>, owner)).toThrow(expect.objectContaining({ code: CoreErrors.BAD_ARGUMENT }));
  });

  it('the new owner shows in info() and gets the messages of streams opened afterwards without a replyTo', async () => {
    const { conn, owner } = await connect();
    const before = conn.get('/hello');
    const next = new Mailbox<ConnMessage>();
    conn.setOwner(next, owner);
    expect(conn.info().owner).toBe(next);
    expect(conn.owner).toBe(next);
    const after = conn.get('/hello');
    expect(await next.receive((m) => m.type === 'response' && m.streamRef === after, { timeout: 2000 })).toMatchObject({ status: 200 });
    expect(text((await conn.awaitBody(after, 2000)).body)).toBe('Hello world!');
    // A stream opened before keeps its replyTo, as Gun's reply_to is fixed when the request is made.
    expect(await owner.receive((m) => m.type === 'response' && m.streamRef === before, { timeout: 2000 })).toMatchObject({ status: 200 });
  });

  it('down and the next up go to the new owner', async () => {
    const { conn, owner } = await connect({ retry: 1, retryTimeout: 10 });
    const next = new Mailbox<ConnMessage>();
    conn.setOwner(next, owner);
    conn.get('/drop?n=1000');
    expect(await next.receive((m) => m.type === 'down', { timeout: 2000 })).toMatchObject({ protocol: 'http' });
    expect(await next.receive((m) => m.type === 'up', { timeout: 2000 })).toMatchObject({ protocol: 'http' });
    expect(owner.poll((m) => m.type === 'down' || m.type === 'up')).toBeUndefined();
  });

  it("the old owner's close no longer matters; the new owner's close shuts down gracefully with its reason", async () => {
    const { conn, owner } = await connect();
    const next = new Mailbox<ConnMessage>();
    conn.setOwner(next, owner);
    owner.close(UNEXPECTED);
    expect(conn.info().stateName).toBe('connected');
    const ref = conn.get('/hello');
    expect(await conn.await(ref, 2000)).toMatchObject({ type: 'response', status: 200 });
    next.close(UNEXPECTED);
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
  });

  it('a new owner already closed shuts the connection down at once with its reason, as a monitor of a dead process', async () => {
    const { conn, owner } = await connect();
    const dead = new Mailbox<ConnMessage>();
    dead.close();
    conn.setOwner(dead, owner);
    expect(await conn.terminated).toBe('normal');
  });

  it('is refused with GUN_ERR_BAD_STATE while shutting down (Q17), while closing and after the end', async () => {
    const server = await startH1Server();
    try {
      const owner = new Mailbox<ConnMessage>();
      const conn = open('127.0.0.1', server.port, { retry: 0, owner });
      conns.push(conn);
      await conn.awaitUp();
      conn.get('/delayed');
      const held = await server.nextHeld();
      conn.shutdown();
      expect(conn.info().stateName).toBe('closing');
      const next = new Mailbox<ConnMessage>();
      expect(() => conn.setOwner(next, owner)).toThrow(expect.objectContaining({ code: GunErrors.BAD_STATE }));
      held.release();
      await conn.terminated;
      expect(() => conn.setOwner(next, owner)).toThrow(expect.objectContaining({ code: GunErrors.BAD_STATE }));
      expect(conn.info().owner).toBe(owner);
    } finally {
      await server.close();
    }
  });

  it('is refused with GUN_ERR_BAD_STATE after a shutdown while not connected', async () => {
    const owner = new Mailbox<ConnMessage>();
    const conn = open('127.0.0.1', await closedPort(), { retry: 5, retryTimeout: 60000, owner });
    conns.push(conn);
    conn.shutdown();
    expect(() => conn.setOwner(new Mailbox<ConnMessage>(), owner)).toThrow(expect.objectContaining({ code: GunErrors.BAD_STATE }));
  });

  it('works before the connection is up: up goes to the new owner', async () => {
    const owner = new Mailbox<ConnMessage>();
    const conn = open('127.0.0.1', origin.port, { retry: 0, owner });
    conns.push(conn);
    const next = new Mailbox<ConnMessage>();
    conn.setOwner(next, owner);
    expect(await next.receive((m) => m.type === 'up', { timeout: 2000 })).toMatchObject({ protocol: 'http' });
    expect(owner.poll()).toBeUndefined();
  });
});

import { GunErrors, Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions, StreamRef } from '../../../src/index.js';
import { text } from '../../support/helpers.js';
import { UNEXPECTED, ownerDownWith } from './owner-exit.js';
import { serverPerTest, startH1Server } from './servers.js';
import type { H1Server, Held } from './servers.js';

/*
 * Gun's shutdown_SUITE over HTTP/1.1 (Gun §5.8) against node:http on 127.0.0.1: the response in
 * flight completes, pipelined requests get `{closing, shutdown}` (our stream error
 * TUNNEL_ERR_CLOSING), the connection ends without `down`.
 */

// One server per test: node:http answers pipelined requests after the client went away, and
// those would be held for the next test.
let server: H1Server;
const conns: Connection[] = [];
serverPerTest(startH1Server, (started) => (server = started), conns);

async function connect(options: GunOptions = {}): Promise<Connection> {
  const conn = open('127.0.0.1', server.port, { protocols: ['http'], ...options });
  conns.push(conn);
  await conn.awaitUp();
  return conn;
}

const CLOSING = 'TUNNEL_ERR_CLOSING';

/** The stream's next await rejects with a stream error whose cause has `code`. */
async function expectStreamError(conn: Connection, ref: ReturnType<Connection['get']>, code: string): Promise<void> {
  await expect(conn.await(ref, 2000)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code } });
}

async function expectHello(conn: Connection, ref: ReturnType<Connection['get']>): Promise<void> {
  expect(await conn.await(ref, 2000)).toMatchObject({ type: 'response', fin: false, status: 200 });
  expect(text((await conn.awaitBody(ref, 2000)).body)).toBe('Hello world!');
}

const noDown = (conn: Connection): void => expect(conn.owner.poll((m) => m.type === 'down')).toBeUndefined();

interface Owned<Refs extends StreamRef[]> {
  readonly owner: Mailbox<ConnMessage>;
  readonly conn: Connection;
  readonly refs: Refs;
  readonly held: Held;
}
/**
 * A connection owned by a fresh mailbox, with `count` pipelined GET /delayed replying to another
 * mailbox (so the owner's close touches only the connection); resolves once the first is held.
 */
async function ownedWithDelayed(count: 1): Promise<Owned<[StreamRef]>>;
async function ownedWithDelayed(count: 2): Promise<Owned<[StreamRef, StreamRef]>>;
async function ownedWithDelayed(count: number): Promise<Owned<StreamRef[]>> {
  const owner = new Mailbox<ConnMessage>();
  const conn = await connect({ owner });
  const side = new Mailbox<ConnMessage>();
  const refs = Array.from({ length: count }, () => conn.get('/delayed', undefined, { replyTo: side }));
  return { owner, conn, refs, held: await server.nextHeld() };
}

describe('graceful shutdown over HTTP/1.1 (Gun shutdown_SUITE, §5.8)', () => {
  it('http1_gun_shutdown_no_streams: shutdown() with no stream closes at once, reason shutdown, no down', async () => {
    const conn = await connect();
    conn.shutdown();
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('http1_gun_shutdown_one_stream: the stream in flight completes, then the connection ends', async () => {
    const conn = await connect();
    const ref = conn.get('/delayed');
    const held = await server.nextHeld();
    conn.shutdown();
    expect(conn.info().stateName).toBe('closing');
    held.release();
    await expectHello(conn, ref);
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('http1_gun_shutdown_pipelined_streams: pipelined streams get {closing, shutdown} at once, the first completes', async () => {
    const conn = await connect();
    const ref1 = conn.get('/delayed');
    const ref2 = conn.get('/delayed');
    const ref3 = conn.get('/delayed');
    const held = await server.nextHeld();
    conn.shutdown();
    await expectStreamError(conn, ref2, CLOSING);
    await expectStreamError(conn, ref3, CLOSING);
    held.release();
    await expectHello(conn, ref1);
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
  });

  it('http1_gun_shutdown_timeout: closingTimeout expires before the response, the stream dies, reason shutdown', async () => {
    const conn = await connect({ httpOpts: { closingTimeout: 200 } });
    const ref = conn.get('/delayed');
    const held = await server.nextHeld();
    conn.shutdown();
    // Gun's {stream_error, {closed, shutdown}}: the stream error GUN_ERR_CLOSED.
    await expect(conn.await(ref, 2000)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code: GunErrors.CLOSED } });
    expect(await conn.terminated).toBe('shutdown');
    noDown(conn);
    held.release();
  });

  it('closingTimeout after the owner closed: a stream replying to a function gets GUN_ERR_CLOSED (no down follows)', async () => {
    const owner = new Mailbox<ConnMessage>();
    const conn = await connect({ owner, httpOpts: { closingTimeout: 200 } });
    const got: ConnMessage[] = [];
    const ref = conn.get('/delayed', undefined, { replyTo: (m) => got.push(m) });
    const held = await server.nextHeld();
    owner.close();
    expect(await conn.terminated).toBe('normal');
    expect(got).toEqual([expect.objectContaining({ type: 'error', streamRef: ref, reason: expect.objectContaining({ code: GunErrors.CLOSED }) })]);
    held.release();
  });

  it('http1_owner_down: the owner closing normally shuts down gracefully, reason normal', async () => {
    // The stream replies elsewhere: the owner's mailbox is gone, the stream in flight completes.
    const { owner, conn, refs: [ref], held } = await ownedWithDelayed(1);
    owner.close();
    expect(conn.info().stateName).toBe('closing');
    held.release();
    expect(await conn.await(ref, 2000)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref, 2000)).body)).toBe('Hello world!');
    expect(await conn.terminated).toBe('normal');
  });

  it('http1_owner_down_error: the owner failing shuts down just as gracefully, reason {shutdown, {owner_down, unexpected}}', async () => {
    const { owner, conn, refs: [ref1, ref2], held } = await ownedWithDelayed(2);
    owner.close(UNEXPECTED);
    expect(conn.info().stateName).toBe('closing');
    // The pipelined stream gets Gun's {closing, owner_down}; the one in flight completes.
    await expectStreamError(conn, ref2, CLOSING);
    held.release();
    expect(await conn.await(ref1, 2000)).toMatchObject({ type: 'response', status: 200 });
    expect(text((await conn.awaitBody(ref1, 2000)).body)).toBe('Hello world!');
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
  });

  it("the owner's close after shutdown() changes nothing: the first one decides (Gun stops watching the owner)", async () => {
    const { owner, conn, refs: [ref], held } = await ownedWithDelayed(1);
    conn.shutdown();
    owner.close(UNEXPECTED);
    held.release();
    await expect(conn.await(ref, 2000)).resolves.toMatchObject({ type: 'response', status: 200 });
    expect(await conn.terminated).toBe('shutdown');
  });

  it("shutdown() after the owner's failure changes nothing either: the owner's reason stays", async () => {
    const { owner, conn, refs: [ref], held } = await ownedWithDelayed(1);
    owner.close(UNEXPECTED);
    conn.shutdown();
    held.release();
    await expect(conn.await(ref, 2000)).resolves.toMatchObject({ type: 'response', status: 200 });
    expect(await conn.terminated).toEqual(ownerDownWith(UNEXPECTED));
  });

  it('http1_request_connection_close: a request with connection: close and retry 0 ends gracefully, reason normal', async () => {
    const conn = await connect({ retry: 0 });
    const ref = conn.get('/', { connection: 'close' });
    await expectHello(conn, ref);
    expect(await conn.terminated).toBe('normal');
  });

  // Gun 2.4's {stream_error, closing} (Gun 2.0's suite had {closed, normal}). When the request
  // says close, the requests behind it are never written; when the response does, they get it as
  // its head arrives (Gun §5.6).
  it.each([
    { gunCase: 'http1_request_connection_close_pipeline: the requests pipelined after it are cancelled', path: '/', headers: { connection: 'close' } },
    { gunCase: 'http1_response_connection_close_pipeline: the requests pipelined behind that response are cancelled', path: '/close', headers: {} },
  ])('$gunCase', async ({ path, headers }) => {
    const conn = await connect({ retry: 0 });
    const ref1 = conn.get(path, headers);
    const ref2 = conn.get('/');
    const ref3 = conn.get('/');
    await expectHello(conn, ref1);
    await expectStreamError(conn, ref2, CLOSING);
    await expectStreamError(conn, ref3, CLOSING);
    expect(await conn.terminated).toBe('normal');
  });

  it('http1_response_connection_close: a response with connection: close and retry 0 ends gracefully, reason normal', async () => {
    const conn = await connect({ retry: 0 });
    const ref = conn.get('/close');
    await expectHello(conn, ref);
    expect(await conn.terminated).toBe('normal');
    expect(conn.owner.poll((m) => m.type === 'down')).toMatchObject({ reason: 'normal', killedStreams: [] });
  });

  it('a bodiless connection: close response closes at once: the streams behind die with the socket (Gun §5.6 {closed, normal})', async () => {
    const conn = await connect({ retry: 0 });
    const ref1 = conn.get('/close-empty');
    const ref2 = conn.get('/');
    const ref3 = conn.get('/');
    expect(await conn.await(ref1, 2000)).toMatchObject({ type: 'response', fin: true, status: 204 });
    // Not `closing`: they are killed by the close, so `down` lists them and await says why.
    expect(await conn.owner.receive((m) => m.type === 'down', { timeout: 2000 })).toMatchObject({ reason: 'normal', killedStreams: [ref2, ref3] });
    await expect(conn.await(ref2, 2000)).rejects.toMatchObject({ code: GunErrors.DOWN, cause: 'normal' });
    await expect(conn.await(ref3, 2000)).rejects.toMatchObject({ code: GunErrors.DOWN, cause: 'normal' });
    expect(await conn.terminated).toBe('normal');
  });

  it('http10_connection_close: an HTTP/1.0 request without connection header ends gracefully, reason normal', async () => {
    const conn = await connect({ retry: 0, httpOpts: { version: 'HTTP/1.0' } });
    const ref = conn.get('/');
    await expectHello(conn, ref);
    expect(await conn.terminated).toBe('normal');
  });

  it('http1_response_connection_close_delayed_body: pipelined and new requests fail with closing before the body ends', async () => {
    const conn = await connect({ retry: 0 });
    const ref1 = conn.get('/close-delayed-body');
    const ref2 = conn.get('/');
    const held = await server.nextHeld();
    expect(await conn.await(ref1, 2000)).toMatchObject({ type: 'response', fin: false, status: 200 });
    await expectStreamError(conn, ref2, CLOSING);
    const ref3 = conn.get('/');
    await expectStreamError(conn, ref3, CLOSING);
    held.release();
    expect(text((await conn.awaitBody(ref1, 2000)).body)).toBe('Hello world!');
    expect(await conn.terminated).toBe('normal');
  });
});

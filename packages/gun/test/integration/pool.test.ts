/**
 * The connection pool against node:http, node:http2 and `ws` servers: Gun's pool_SUITE (15
 * cases) plus the pool's own errors.
 */
import { GunError } from '@gunhttp/core';
import { startHttp2Origin, startHttpOrigin } from '@gunhttp/testkit';
import type { Http2Origin, TestOrigin } from '@gunhttp/testkit';
import { GunErrors, PoolErrors, poolGet, poolInfo, poolPost, poolWsSend, startPool, stopPool } from '../../src/index.js';
import type { Pool, PoolOptions, PoolSetupFun, PoolStream } from '../../src/index.js';
import { text } from '../support/helpers.js';
import { startWsOrigin } from '../support/ws-origin.js';

let h1: TestOrigin;
let h2c: Http2Origin;
const pools: Pool[] = [];

beforeAll(async () => {
  [h1, h2c] = await Promise.all([startHttpOrigin(), startHttp2Origin()]);
});
afterAll(() => Promise.all([h1.close(), h2c.close()]));
afterEach(() => Promise.all(pools.splice(0).map((p) => p.stop())));

function pool<S>(port: number, opts: PoolOptions<S>): Pool {
  const p = startPool('127.0.0.1', port, opts);
  pools.push(p);
  return p;
}

async function expectHello({ conn, streamRef }: PoolStream): Promise<void> {
  expect(await conn.await(streamRef)).toMatchObject({ type: 'response', status: 200 });
  expect(text((await conn.awaitBody(streamRef)).body)).toBe('Hello world!');
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(GunError);
  expect((error as GunError).code).toBe(code);
}

/** HTTP/2 with prior knowledge; the connection counts as up once the server's SETTINGS (its stream limit) arrived. */
const afterSettings: PoolSetupFun<undefined> = {
  fn: (_conn, msg, state) => (msg.type === 'notify' ? { up: 'http2', meta: {} } : { setup: state }),
  initial: undefined,
};
const h2Opts = { connOpts: { protocols: ['http2' as const] } };

describe('requests through a pool (pool_SUITE hello_pool_*)', () => {
  it('hello_pool_h1: 8 concurrent requests use the 8 HTTP/1.1 connections, one each', async () => {
    const p = pool(h1.port, { scope: 'hello_h1' });
    await p.awaitUp();
    const host = p.authority;
    const streams = await Promise.all(Array.from({ length: 8 }, () => poolGet('/hello', { host }, { scope: 'hello_h1' })));
    expect(new Set(streams.map((s) => s.conn)).size).toBe(8);
    await Promise.all(streams.map(expectHello));
    expect(p.info().conns.map((c) => c.streams)).toEqual(Array(8).fill(0));
  });

  it('hello_pool_h2: 800 concurrent requests over 8 HTTP/2 connections', async () => {
    const p = pool(h2c.port, { ...h2Opts, scope: 'hello_h2' });
    await p.awaitUp();
    const streams = await Promise.all(Array.from({ length: 800 }, () => poolGet('/hello', { host: p.authority }, { scope: 'hello_h2' })));
    expect(new Set(streams.map((s) => s.conn)).size).toBeGreaterThan(1);
    await Promise.all(streams.map(expectHello));
    expect(p.info().conns.every((c) => c.state === 'up' && c.protocol === 'http2' && c.streams === 0)).toBe(true);
  });

  it('sends request bodies (poolPost) and routes by the host header', async () => {
    const p = pool(h1.port, { scope: 'post', size: 1 });
    await p.awaitUp();
    const { conn, streamRef } = await poolPost('/echo', [['host', p.authority], ['content-type', 'text/plain']], 'ping', { scope: 'post' });
    expect(await conn.await(streamRef)).toMatchObject({ status: 200 });
    expect(text((await conn.awaitBody(streamRef)).body)).toBe('ping');
  });

  it("chains the user's event handler after the pool's", async () => {
    const seen: string[] = [];
    const p = pool(h1.port, { scope: 'events', size: 1, connOpts: { eventHandler: { requestStart: (e) => seen.push(e.method), responseEnd: () => seen.push('end') } } });
    await p.awaitUp();
    await expectHello(await poolGet('/hello', { host: p.authority }, { scope: 'events' }));
    expect(seen).toEqual(['GET', 'end']);
    expect(p.info().conns[0]?.streams).toBe(0);
  });
});

describe('hello_pool_ws: a setup function upgrading each connection to Websocket', () => {
  it('exposes { ws } as meta and poolWsSend sends through one such connection', async () => {
    const ws = await startWsOrigin();
    try {
      const setupFun: PoolSetupFun<undefined> = {
        fn: (conn, msg, state) => {
          if (msg.type === 'up') conn.wsUpgrade('/echo');
          return msg.type === 'upgrade' ? { up: 'ws', meta: { ws: msg.streamRef } } : { setup: state };
        },
        initial: undefined,
      };
      const p = pool(ws.port, { scope: 'ws', size: 4, setupFun });
      await p.awaitUp();
      expect(p.info().conns.map((c) => c.protocol)).toEqual(['ws', 'ws', 'ws', 'ws']);
      for (let i = 0; i < 10; i++) {
        const { conn, streamRef } = await poolWsSend({ type: 'text', data: `Hello ${i}` }, { authority: p.authority, scope: 'ws' });
        expect(await conn.await(streamRef)).toMatchObject({ type: 'ws', frame: { type: 'text', data: `Hello ${i}` } });
      }
      const { conn, streamRef } = await p.wsSend([{ type: 'text', data: 'a' }, { type: 'text', data: 'b' }]);
      expect(await conn.await(streamRef)).toMatchObject({ frame: { data: 'a' } });
      expect(await conn.await(streamRef)).toMatchObject({ frame: { data: 'b' } });
      await p.stop();
    } finally {
      await ws.close();
    }
  });
});

describe('stream limits (pool_SUITE max_streams_*)', () => {
  it('max_streams_h1: a second request while the only HTTP/1.1 connection is busy gets POOL_ERR_NO_CONNECTION_AVAILABLE', async () => {
    const p = pool(h1.port, { scope: 'max_h1', size: 1 });
    await p.awaitUp();
    const first = poolGet('/hello', { host: p.authority }, { scope: 'max_h1' });
    await rejectsWith(poolGet('/hello', { host: p.authority }, { scope: 'max_h1' }), PoolErrors.NO_CONNECTION_AVAILABLE);
    await expectHello(await first);
    // The response's end released the stream: the connection is free again at once.
    await expectHello(await poolGet('/hello', { host: p.authority }, { scope: 'max_h1' }));
  });

  it('max_streams_h1_retry: with checkoutRetry the second request waits for the connection', async () => {
    const p = pool(h1.port, { scope: 'max_h1_retry', size: 1 });
    await p.awaitUp();
    const opts = { scope: 'max_h1_retry', checkoutRetry: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] };
    const [a, b] = await Promise.all([poolGet('/hello', { host: p.authority }, opts), poolGet('/hello', { host: p.authority }, opts)]);
    expect(b.conn).toBe(a.conn);
    await Promise.all([expectHello(a), expectHello(b)]);
  });

  describe('against an HTTP/2 server allowing 1 concurrent stream (RFC 9113 §5.1.2)', () => {
    let limited: Http2Origin;
    beforeAll(async () => {
      limited = await startHttp2Origin({ settings: { maxConcurrentStreams: 1 } });
    });
    afterAll(() => limited.close());

    it.each([
      { name: 'max_streams_h2_size_1', size: 1 },
      { name: 'max_streams_h2_size_2', size: 2 },
    ])('$name: requests beyond size × 1 streams get POOL_ERR_NO_CONNECTION_AVAILABLE', async ({ name, size }) => {
      const p = pool(limited.port, { ...h2Opts, scope: name, size, setupFun: afterSettings });
      await p.awaitUp();
      expect(p.info().conns.map((c) => c.maxStreams)).toEqual(Array(size).fill(1));
      const accepted = await Promise.all(Array.from({ length: size }, () => poolGet('/hello', { host: p.authority }, { scope: name })));
      expect(new Set(accepted.map((s) => s.conn)).size).toBe(size);
      await rejectsWith(poolGet('/hello', { host: p.authority }, { scope: name }), PoolErrors.NO_CONNECTION_AVAILABLE);
      await Promise.all(accepted.map(expectHello));
    });

    it('a cancelled HTTP/2 stream frees its slot at once (RST_STREAM, RFC 9113 §5.1.2)', async () => {
      const p = pool(limited.port, { ...h2Opts, scope: 'cancel_h2', size: 1, setupFun: afterSettings });
      await p.awaitUp();
      const slow = await poolGet('/delay?ms=2000', { host: p.authority }, { scope: 'cancel_h2' });
      await rejectsWith(poolGet('/hello', { host: p.authority }, { scope: 'cancel_h2' }), PoolErrors.NO_CONNECTION_AVAILABLE);
      slow.conn.cancel(slow.streamRef);
      expect(p.info().conns[0]?.streams).toBe(0);
      await expectHello(await poolGet('/hello', { host: p.authority }, { scope: 'cancel_h2' }));
    });

    it("a stream the server resets frees its slot (the 'cancel' event, endpoint remote)", async () => {
      const p = pool(limited.port, { ...h2Opts, scope: 'reset_h2', size: 1, setupFun: afterSettings });
      await p.awaitUp();
      const reset = await poolGet('/reset', { host: p.authority }, { scope: 'reset_h2' });
      await rejectsWith(reset.conn.await(reset.streamRef), GunErrors.STREAM_ERROR);
      expect(p.info().conns[0]?.streams).toBe(0);
      await expectHello(await poolGet('/hello', { host: p.authority }, { scope: 'reset_h2' }));
    });

    it.each([
      { name: 'max_streams_h2_size_1_retry', size: 1 },
      { name: 'max_streams_h2_size_2_retry', size: 2 },
    ])('$name: with checkoutRetry the extra requests wait for a stream', async ({ name, size }) => {
      const p = pool(limited.port, { ...h2Opts, scope: name, size, setupFun: afterSettings });
      await p.awaitUp();
      const opts = { scope: name, checkoutRetry: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] };
      const streams = await Promise.all(Array.from({ length: size * 3 }, () => poolGet('/hello', { host: p.authority }, opts)));
      await Promise.all(streams.map(expectHello));
      expect(limited.requests.length).toBeGreaterThanOrEqual(size * 3);
    });
  });
});

describe('failures (pool_SUITE kill_restart_*, reconnect_*)', () => {
  it.each([
    { name: 'kill_restart_h1', h2: false },
    { name: 'kill_restart_h2', h2: true },
  ])('$name: a connection that terminates is replaced and the pool is operational again', async ({ name, h2 }) => {
    const p = pool(h2 ? h2c.port : h1.port, { ...(h2 ? h2Opts : {}), scope: name, size: 2 });
    await p.awaitUp();
    const killed = p.info().conns[0]!.conn;
    killed.close();
    expect(p.stateName).toBe('degraded');
    await p.awaitUp();
    const conns = p.info().conns.map((c) => c.conn);
    expect(conns).toHaveLength(2);
    expect(conns).not.toContain(killed);
    await expectHello(await poolGet('/hello', { host: p.authority }, { scope: name }));
  });

  it.each([
    { name: 'reconnect_h1', h2: false },
    { name: 'reconnect_h2', h2: true },
  ])('$name: a connection that goes down is marked down until it reconnects', async ({ name, h2 }) => {
    let disconnected!: () => void;
    const disconnect = new Promise<void>((resolve) => (disconnected = resolve));
    const connOpts = { ...(h2 ? h2Opts.connOpts : {}), eventHandler: { disconnect: () => disconnected() } };
    const origin = h2 ? h2c : h1;
    const p = pool(origin.port, { connOpts, scope: name, size: 1 });
    await p.awaitUp();
    const conn = p.info().conns[0]!.conn;
    if (h2) h2c.sessions.at(-1)!.destroy();
    else await expectBye(await poolGet('/close', { host: p.authority }, { scope: name }));
    await disconnect;
    expect(p.stateName).toBe('degraded');
    expect(p.info().conns[0]).toMatchObject({ state: 'down', streams: 0 });
    await p.awaitUp();
    expect(p.info().conns.map((c) => c.conn)).toEqual([conn]);
    await expectHello(await poolGet('/hello', { host: p.authority }, { scope: name }));
  });
});

async function expectBye({ conn, streamRef }: PoolStream): Promise<void> {
  expect(await conn.await(streamRef)).toMatchObject({ status: 200 });
  expect(text((await conn.awaitBody(streamRef)).body)).toBe('bye');
}

describe('management (pool_SUITE stop_pool, degraded_configuration_error)', () => {
  it('stop_pool: stops the pool of host, port and scope; its connections terminate', async () => {
    const p = startPool('127.0.0.1', h1.port, { scope: 'stop', size: 2 });
    await p.awaitUp();
    const conns = p.info().conns.map((c) => c.conn);
    expect(poolInfo(p.authority, 'stop')?.stateName).toBe('operational');
    await stopPool('127.0.0.1', h1.port, { scope: 'stop' });
    expect(p.stateName).toBe('stopped');
    expect(poolInfo(p.authority, 'stop')).toBeUndefined();
    expect(poolInfo().some((i) => i.scope === 'stop')).toBe(false);
    await Promise.all(conns.map((c) => c.terminated));
    await rejectsWith(poolGet('/hello', { host: p.authority }, { scope: 'stop' }), PoolErrors.NOT_FOUND);
    await rejectsWith(stopPool('127.0.0.1', h1.port, { scope: 'stop' }), PoolErrors.NOT_FOUND);
  });

  it('degraded_configuration_error: connection options open() rejects leave the pool degraded with no connection', async () => {
    const p = pool(h1.port, { scope: 'degraded', connOpts: { protocols: ['bad' as 'http'] } });
    const info = p.info();
    expect(info).toMatchObject({ stateName: 'degraded', conns: [] });
    expect(info.error?.code).toBe(GunErrors.INVALID_OPTION);
    await rejectsWith(p.awaitUp(50), GunErrors.TIMEOUT);
    await stopPool('127.0.0.1', h1.port, { scope: 'degraded' });
    expect(p.stateName).toBe('stopped');
  });

  it('awaitUp fails with POOL_ERR_STOPPED when the pool is stopped first', async () => {
    const p = pool(h1.port, { scope: 'stopped-wait', connOpts: { protocols: ['bad' as 'http'] } });
    const waiting = p.awaitUp();
    await p.stop();
    await rejectsWith(waiting, PoolErrors.STOPPED);
  });

  it('refuses a second pool for the same scope and authority (POOL_ERR_ALREADY_STARTED)', async () => {
    const p = pool(h1.port, { scope: 'twice', size: 1 });
    expect(() => startPool('127.0.0.1', h1.port, { scope: 'twice' })).toThrow(expect.objectContaining({ code: PoolErrors.ALREADY_STARTED }));
    await p.awaitUp();
  });

  it('rejects requests without a host header or to an authority without a pool', async () => {
    await rejectsWith(poolGet('/hello', []), PoolErrors.NO_HOST_HEADER);
    await rejectsWith(poolGet('/hello', { host: 'nowhere.invalid' }), PoolErrors.NOT_FOUND);
    await rejectsWith(poolWsSend({ type: 'text', data: 'x' }, { authority: 'nowhere.invalid' }), PoolErrors.NOT_FOUND);
  });
});

import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { patternBytes, startHttpOrigin, type TestOrigin } from '../src/origins.js';
import { startConnectProxy } from '../src/proxies/connect-proxy.js';
import { startRawEchoOrigin } from '../src/proxies/echo-origin.js';
import { startH2ConnectProxy } from '../src/proxies/h2-connect-proxy.js';
import type { TestProxy } from '../src/proxies/proxy-record.js';
import { startSocks5Server } from '../src/proxies/socks5-server.js';
import { basic, dial, echoOver, getOver, h2Connect, h2Session, httpConnect, Reader, secure, socksConnect } from './proxy-clients.js';

const ALICE = { username: 'alice', password: 's3cret' };
const transports = [
  { name: 'tcp', tls: false },
  { name: 'tls', tls: true },
];

let origin: TestOrigin;
let tlsOrigin: TestOrigin;
let closedPort: number;
const open: Array<{ close(): Promise<void> }> = [];

async function started<T extends { close(): Promise<void> }>(p: Promise<T>): Promise<T> {
  const server = await p;
  open.push(server);
  return server;
}

beforeAll(async () => {
  origin = await startHttpOrigin();
  tlsOrigin = await startHttpOrigin({ tls: true });
  const gone = await startRawEchoOrigin();
  closedPort = gone.port;
  await gone.close();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await origin.close();
  await tlsOrigin.close();
});

/** Waits until a record's counters settle on what both ends saw (one event-loop turn at a time). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function only(proxy: TestProxy): NonNullable<TestProxy['records'][number]> {
  expect(proxy.records).toHaveLength(1);
  const record = proxy.records[0];
  if (record === undefined) throw new Error('no record');
  return record;
}

describe.each(transports)('HTTP/1.1 CONNECT proxy over $name', ({ tls }) => {
  async function tunnel(opts: Parameters<typeof startConnectProxy>[0], target: string, headers: Array<[string, string]> = []) {
    const proxy = await started(startConnectProxy({ ...opts, tls }));
    const reply = await httpConnect(await dial(proxy.port, tls), target, headers);
    return { proxy, reply };
  }

  it('tunnels a GET to an HTTP origin and records target, headers and bytes both ways', async () => {
    const target = `127.0.0.1:${origin.port}`;
    const { proxy, reply } = await tunnel({}, target, [['x-test', 'one']]);
    expect(reply.status).toBe(200);
    expect(proxy.url).toBe(`${tls ? 'https' : 'http'}://127.0.0.1:${proxy.port}`);
    const res = await getOver(reply.socket, '/hello', target);
    expect(res).toEqual({ status: 200, body: 'Hello world!' });
    const record = only(proxy);
    expect(record).toMatchObject({ kind: 'connect', host: '127.0.0.1', port: origin.port, target, status: 200, credentials: undefined });
    expect(record.headers).toEqual([['host', target], ['x-test', 'one']]);
    await until(() => record.state === 'closed');
    expect(record.bytesUp).toBeGreaterThan('GET /hello HTTP/1.1\r\n\r\n'.length);
    expect(record.bytesDown).toBeGreaterThan('Hello world!'.length);
  });

  it('carries TLS to an HTTPS origin inside the tunnel (TLS over TLS on a TLS proxy)', async () => {
    const { proxy, reply } = await tunnel({}, `localhost:${tlsOrigin.port}`);
    const inner = await secure(reply.socket);
    expect(await getOver(inner, '/hello', `localhost:${tlsOrigin.port}`)).toEqual({ status: 200, body: 'Hello world!' });
    expect(only(proxy).host).toBe('localhost');
  });

  it('carries 1 MiB both ways through the raw echo origin with exact counters', async () => {
    const echo = await started(startRawEchoOrigin());
    const { proxy, reply } = await tunnel({}, `127.0.0.1:${echo.port}`);
    const data = patternBytes(1 << 20);
    expect((await echoOver(reply.socket, data)).equals(data)).toBe(true);
    reply.socket.end();
    const record = only(proxy);
    await until(() => record.state === 'closed');
    expect(record).toMatchObject({ bytesUp: data.length, bytesDown: data.length });
  });

  it('answers 407 with proxy-authenticate Basic when credentials are missing or wrong', async () => {
    const { proxy, reply } = await tunnel({ auth: ALICE }, `127.0.0.1:${origin.port}`);
    expect(reply.status).toBe(407);
    expect(reply.head).toMatch(/\r\nproxy-authenticate: Basic realm="gun-test"\r\n/);
    expect(await new Reader(reply.socket).closed()).toBe(true);
    const bad = await httpConnect(await dial(proxy.port, tls), `127.0.0.1:${origin.port}`, [basic('alice', 'wrong')]);
    expect(bad.status).toBe(407);
    expect(proxy.records.map((r) => [r.status, r.state, r.credentials])).toEqual([
      [407, 'refused', undefined],
      [407, 'refused', { username: 'alice', password: 'wrong' }],
    ]);
  });

  it('tunnels with good Basic credentials and records them', async () => {
    const target = `127.0.0.1:${origin.port}`;
    const { proxy, reply } = await tunnel({ auth: ALICE }, target, [basic('alice', 's3cret')]);
    expect(reply.status).toBe(200);
    expect(await getOver(reply.socket, '/hello', target)).toEqual({ status: 200, body: 'Hello world!' });
    expect(only(proxy).credentials).toEqual(ALICE);
  });

  it.each([
    { name: 'the default denied host', opts: {}, target: 'deny.invalid:443' },
    { name: 'a denied port', opts: { denyPorts: [4444] }, target: '127.0.0.1:4444' },
    { name: 'a denied host', opts: { denyHosts: ['Blocked.Test'] }, target: 'blocked.test:80' },
  ])('answers 403 for $name', async ({ opts, target }) => {
    const { proxy, reply } = await tunnel(opts, target);
    expect(reply.status).toBe(403);
    expect(only(proxy)).toMatchObject({ status: 403, state: 'refused' });
  });

  it('answers 502 when the target refuses the connection', async () => {
    const { proxy, reply } = await tunnel({}, `127.0.0.1:${closedPort}`);
    expect(reply.status).toBe(502);
    expect(only(proxy)).toMatchObject({ status: 502, state: 'refused' });
  });

  it('answers 400 to a target that is not host:port, without a record', async () => {
    const { proxy, reply } = await tunnel({}, '127.0.0.1');
    expect(reply.status).toBe(400);
    expect(proxy.records).toEqual([]);
  });

  it('forces replies: 201 still tunnels, 302 refuses, HTTP/1.0 status line, extra headers', async () => {
    const target = `127.0.0.1:${origin.port}`;
    const ok = await tunnel({ reply: 201, httpVersion: '1.0', responseHeaders: [['transfer-encoding', 'chunked']] }, target);
    expect(ok.reply.head).toMatch(/^HTTP\/1\.0 201 Created\r\ntransfer-encoding: chunked\r\n\r\n$/);
    expect(await getOver(ok.reply.socket, '/hello', target)).toEqual({ status: 200, body: 'Hello world!' });
    const refused = await tunnel({ reply: 302 }, target);
    expect(refused.reply.status).toBe(302);
    expect(only(refused.proxy)).toMatchObject({ status: 302, state: 'refused' });
  });

  it("reply 'close' drops the connection mid-handshake without answering", async () => {
    const proxy = await started(startConnectProxy({ tls, reply: 'close' }));
    const socket = await dial(proxy.port, tls);
    socket.write(`CONNECT 127.0.0.1:${origin.port} HTTP/1.1\r\nhost: x\r\n\r\n`);
    expect((await new Reader(socket).readToEnd()).length).toBe(0);
    expect(only(proxy).state).toBe('refused');
  });

  it('waits delayMs before answering', async () => {
    const started = Date.now();
    const { reply } = await tunnel({ delayMs: 50 }, `127.0.0.1:${origin.port}`);
    expect(reply.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('answers requests other than CONNECT with 405', async () => {
    const proxy = await started(startConnectProxy({ tls }));
    expect(await getOver(await dial(proxy.port, tls), '/', 'x')).toMatchObject({ status: 405 });
    expect(proxy.records).toEqual([]);
    expect(proxy.connections).toBe(1);
  });
});

describe.each(transports)('HTTP/2 CONNECT proxy over $name', ({ tls }) => {
  it('runs two tunnels on one session at once and records each with its pseudo-headers', async () => {
    const proxy = await started(startH2ConnectProxy({ tls }));
    const session = await h2Session(proxy.port, tls);
    try {
      const a = `127.0.0.1:${origin.port}`;
      const b = `localhost:${tlsOrigin.port}`;
      const [ta, tb] = await Promise.all([h2Connect(session, a, { 'x-hop': '1' }), h2Connect(session, b)]);
      expect([ta.status, tb.status]).toEqual([200, 200]);
      const [ra, rb] = await Promise.all([getOver(ta.stream, '/hello', a), getOver(await secure(tb.stream), '/hello', b)]);
      expect([ra.body, rb.body]).toEqual(['Hello world!', 'Hello world!']);
      expect(proxy.records.map((r) => r.target).sort()).toEqual([a, b].sort());
      const rec = proxy.records.find((r) => r.target === a);
      expect(rec?.headers).toEqual(expect.arrayContaining([[':method', 'CONNECT'], [':authority', a], ['x-hop', '1']]));
      expect(rec?.kind).toBe('h2-connect');
      expect(rec?.bytesDown).toBeGreaterThan(12);
      expect(proxy.connections).toBe(1);
    } finally {
      session.destroy();
    }
  });

  it('answers 407 (with proxy-authenticate), 403, 502, a forced 500, and 405 for other methods', async () => {
    const proxy = await started(startH2ConnectProxy({ tls, auth: ALICE, denyPorts: [4444] }));
    const session = await h2Session(proxy.port, tls);
    const auth = { 'proxy-authorization': basic('alice', 's3cret')[1] };
    try {
      const noAuth = await h2Connect(session, `127.0.0.1:${origin.port}`);
      expect(noAuth.status).toBe(407);
      expect(noAuth.headers['proxy-authenticate']).toBe('Basic realm="gun-test"');
      expect((await h2Connect(session, '127.0.0.1:4444', auth)).status).toBe(403);
      expect((await h2Connect(session, `127.0.0.1:${closedPort}`, auth)).status).toBe(502);
      const good = await h2Connect(session, `127.0.0.1:${origin.port}`, auth);
      expect(good.status).toBe(200);
      good.stream.destroy();
      const get = session.request({ ':path': '/' });
      const [headers] = (await once(get, 'response')) as [Record<string, unknown>];
      expect(headers[':status']).toBe(405);
      expect(proxy.records.map((r) => r.status)).toEqual([407, 403, 502, 200]);
      expect(proxy.records[3]?.credentials).toEqual(ALICE);
    } finally {
      session.destroy();
    }
    const forced = await started(startH2ConnectProxy({ tls, reply: 500 }));
    const s2 = await h2Session(forced.port, tls);
    try {
      expect((await h2Connect(s2, `127.0.0.1:${origin.port}`)).status).toBe(500);
    } finally {
      s2.destroy();
    }
  });

  it("reply 'reset' resets the CONNECT stream with CONNECT_ERROR", async () => {
    const proxy = await started(startH2ConnectProxy({ tls, reply: 'reset' }));
    const session = await h2Session(proxy.port, tls);
    try {
      const stream = session.request({ ':method': 'CONNECT', ':authority': `127.0.0.1:${origin.port}` });
      stream.on('error', () => undefined);
      await new Promise((resolve) => stream.once('close', resolve));
      expect(stream.rstCode).toBe(0xa);
      expect(only(proxy).state).toBe('refused');
    } finally {
      session.destroy();
    }
  });
});

describe.each(transports)('SOCKS5 server over $name', ({ tls }) => {
  async function socks(opts: Parameters<typeof startSocks5Server>[0] = {}): Promise<{ proxy: TestProxy; socket: Duplex }> {
    const proxy = await started(startSocks5Server({ ...opts, tls }));
    return { proxy, socket: await dial(proxy.port, tls) };
  }

  it.each([
    { name: 'a domain name (ATYP 03)', host: 'localhost', atyp: 3 as const, recorded: 'localhost', type: 'domain' },
    { name: 'an IPv4 address (ATYP 01)', host: '127.0.0.1', atyp: 1 as const, recorded: '127.0.0.1', type: 'ipv4' },
    { name: 'an IPv6 address (ATYP 04)', host: '::ffff:7f00:1', atyp: 4 as const, recorded: '::ffff:7f00:1', type: 'ipv6' },
  ])('connects to $name without auth and records the request', async ({ host, atyp, recorded, type }) => {
    const { proxy, socket } = await socks();
    const answer = await socksConnect(socket, { host, port: origin.port, atyp });
    expect(answer.rep).toBe(0);
    expect(answer.boundPort).toBeGreaterThan(0);
    expect(await getOver(answer.socket, '/hello', `localhost:${origin.port}`)).toEqual({ status: 200, body: 'Hello world!' });
    expect(only(proxy)).toMatchObject({ kind: 'socks5', host: recorded, port: origin.port, status: 0, headers: [], socks: { methods: [0], method: 0, addressType: type } });
    expect(proxy.url).toBe(`${tls ? 'socks5s' : 'socks5'}://127.0.0.1:${proxy.port}`);
  });

  it('authenticates with RFC 1929 username/password and records the credentials', async () => {
    const { proxy, socket } = await socks({ auth: ALICE });
    const answer = await socksConnect(socket, { host: '127.0.0.1', port: tlsOrigin.port, atyp: 1 }, ALICE);
    expect(answer.rep).toBe(0);
    expect(await getOver(await secure(answer.socket), '/hello', 'localhost')).toEqual({ status: 200, body: 'Hello world!' });
    expect(only(proxy)).toMatchObject({ credentials: ALICE, socks: { methods: [2], method: 2 } });
  });

  it('answers bad credentials with 01 01 and closes (RFC 1929 §2)', async () => {
    const { proxy, socket } = await socks({ auth: ALICE });
    const reader = new Reader(socket);
    socket.write(Buffer.from([5, 1, 2, 1, 5, ...Buffer.from('alice'), 3, ...Buffer.from('bad')]));
    expect([...(await reader.read(4))]).toEqual([5, 2, 1, 1]);
    expect(await reader.closed()).toBe(true);
    expect(proxy.records).toEqual([]);
  });

  it('answers 05 FF when no offered method is acceptable (RFC 1928 §3)', async () => {
    const { socket } = await socks({ auth: ALICE });
    const reader = new Reader(socket);
    socket.write(Buffer.from([5, 1, 0]));
    expect([...(await reader.read(2))]).toEqual([5, 0xff]);
    expect(await reader.closed()).toBe(true);
  });

  it('handles a handshake sent one octet at a time, then early data before the reply', async () => {
    const echo = await started(startRawEchoOrigin());
    const { proxy, socket } = await socks({ auth: ALICE });
    const port = [echo.port >> 8, echo.port & 0xff];
    const bytes = [5, 1, 2, 1, 5, ...Buffer.from('alice'), 6, ...Buffer.from('s3cret'), 5, 1, 0, 3, 9, ...Buffer.from('localhost'), ...port, ...Buffer.from('early')];
    const reader = new Reader(socket);
    for (const b of bytes) {
      socket.write(Buffer.from([b]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect([...(await reader.read(4))]).toEqual([5, 2, 1, 0]);
    expect([...(await reader.read(4))]).toEqual([5, 0, 0, 1]);
    await reader.read(6);
    expect((await reader.read(5)).toString()).toBe('early');
    const record = only(proxy);
    expect(record).toMatchObject({ host: 'localhost', port: echo.port, bytesUp: 5, bytesDown: 5 });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('replyCode %i forces that REP and closes', async (code) => {
    const { proxy, socket } = await socks({ replyCode: code });
    const answer = await socksConnect(socket, { host: '127.0.0.1', port: origin.port, atyp: 1 });
    expect(answer.rep).toBe(code);
    expect(await new Reader(answer.socket).closed()).toBe(true);
    expect(only(proxy)).toMatchObject({ status: code, state: 'refused' });
  });

  it.each([
    { name: 'REP 05 for a refused connection', opts: {}, port: (): number => closedPort, command: 1, rep: 5 },
    { name: 'REP 02 for a denied port', opts: { denyPorts: [4444] }, port: (): number => 4444, command: 1, rep: 2 },
    { name: 'REP 07 for BIND', opts: {}, port: (): number => origin.port, command: 2, rep: 7 },
    { name: 'REP 07 for UDP ASSOCIATE', opts: {}, port: (): number => origin.port, command: 3, rep: 7 },
  ])('answers $name', async ({ opts, port, command, rep }) => {
    const { socket } = await socks(opts);
    const reader = new Reader(socket);
    const p = port();
    socket.write(Buffer.from([5, 1, 0, 5, command, 0, 1, 127, 0, 0, 1, p >> 8, p & 0xff]));
    expect([...(await reader.read(2))]).toEqual([5, 0]);
    expect([...(await reader.read(10))].slice(0, 2)).toEqual([5, rep]);
    expect(await reader.closed()).toBe(true);
  });

  it('answers REP 08 for an unknown address type', async () => {
    const { proxy, socket } = await socks();
    const reader = new Reader(socket);
    socket.write(Buffer.from([5, 1, 0, 5, 1, 0, 9, 0, 80]));
    await reader.read(2);
    expect([...(await reader.read(2))]).toEqual([5, 8]);
    expect(proxy.records).toEqual([]);
  });

  it.each(['greeting', 'auth', 'request'] as const)('closeAt %s closes without answering that message', async (step) => {
    const { proxy, socket } = await socks({ auth: ALICE, closeAt: step });
    const reader = new Reader(socket);
    socket.write(Buffer.from([5, 1, 2]));
    socket.write(Buffer.from([1, 5, ...Buffer.from('alice'), 6, ...Buffer.from('s3cret')]));
    socket.write(Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, 0, 80]));
    const expected = { greeting: [], auth: [5, 2], request: [5, 2, 1, 0] }[step];
    expect([...(await reader.readToEnd())]).toEqual(expected);
    expect(proxy.records).toHaveLength(step === 'request' ? 1 : 0);
  });
});

describe('chains of test proxies', () => {
  it('h2 (TLS) → https CONNECT → socks5tls → rawtls echo origin: each hop records its own target', async () => {
    const [h2, https, socks5, echo] = await Promise.all([
      started(startH2ConnectProxy({ tls: true })),
      started(startConnectProxy({ tls: true, auth: ALICE })),
      started(startSocks5Server({ tls: true })),
      started(startRawEchoOrigin({ tls: true })),
    ]);
    const session = await h2Session(h2.port, true);
    try {
      const hop1 = await h2Connect(session, `localhost:${https.port}`);
      const hop2 = await httpConnect(await secure(hop1.stream), `localhost:${socks5.port}`, [basic('alice', 's3cret')]);
      expect(hop2.status).toBe(200);
      const hop3 = await socksConnect(await secure(hop2.socket), { host: 'localhost', port: echo.port });
      expect(hop3.rep).toBe(0);
      const data = patternBytes(100_000);
      expect((await echoOver(await secure(hop3.socket), data)).equals(data)).toBe(true);
      expect([only(h2).target, only(https).target, only(socks5).target]).toEqual([`localhost:${https.port}`, `localhost:${socks5.port}`, `localhost:${echo.port}`]);
      // Every hop forwarded the echoed payload plus the TLS records around it.
      for (const proxy of [h2, https, socks5]) expect(only(proxy).bytesDown).toBeGreaterThan(data.length);
    } finally {
      session.destroy();
    }
  });
});

describe.each(transports)('raw echo origin over $name', ({ tls }) => {
  it('echoes bytes back and keeps what it received', async () => {
    const echo = await started(startRawEchoOrigin({ tls }));
    const socket = await dial(echo.port, tls);
    expect((await echoOver(socket, Buffer.from('ping'))).toString()).toBe('ping');
    socket.end();
    expect(echo.received().toString()).toBe('ping');
  });
});

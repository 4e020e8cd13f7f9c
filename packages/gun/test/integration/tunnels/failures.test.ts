/**
 * Tunnels that fail (Gun §5.12, §5.13; inventory §3.2): CONNECT refusals, every SOCKS5 REP code,
 * proxies closing mid-handshake, a TLS failure inside the tunnel. Each case checks the error's
 * stable code, that the streams held behind the hop are listed as killed in `down`, and that
 * every ref ends exactly once: one final message in its replyTo, or killed in `down`.
 */
import { SOCKS_REPLY_ERRORS, SocksErrors } from '@gunhttp/socks';
import { getTestPki, startConnectProxy, startHttpOrigin, startRawOrigin, startSocks5Server } from '@gunhttp/testkit';
import type { Socks5Step, TestOrigin } from '@gunhttp/testkit';
import { GunErrors, Mailbox, open } from '../../../src/index.js';
import type { ConnMessage, Connection, GunOptions, StreamRef } from '../../../src/index.js';
import { closedAfterEach } from '../../support/helpers.js';

const ca = getTestPki().caPem;
let conn: Connection | undefined;
let origin: TestOrigin;
let tlsOrigin: TestOrigin;

beforeAll(async () => {
  [origin, tlsOrigin] = await Promise.all([startHttpOrigin(), startHttpOrigin({ tls: true })]);
});
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});
afterAll(() => Promise.all([origin.close(), tlsOrigin.close()]));

/** A connection with `retry: 0`, so every failure below ends in termination. */
function openTo(port: number, opts: GunOptions = {}): Connection {
  conn = open('127.0.0.1', port, { retry: 0, ...opts });
  return conn;
}

/** The message that ends a stream: a response or data with `fin`, trailers, or a stream error. */
function endsStream(m: ConnMessage, ref: StreamRef): boolean {
  if (!('streamRef' in m) || m.streamRef !== ref) return false;
  return ((m.type === 'response' || m.type === 'data') && m.fin) || m.type === 'trailers' || m.type === 'error';
}

/**
 * Waits for the connection to end, then checks every ref ended exactly once (a final message in
 * `box`, or killed in `down`) and returns the `down` message (undefined when there was none).
 */
async function settled(c: Connection, box: Mailbox<ConnMessage>, refs: readonly StreamRef[]): Promise<Extract<ConnMessage, { type: 'down' }> | undefined> {
  await c.terminated;
  const down = c.owner.peekAll().find((m): m is Extract<ConnMessage, { type: 'down' }> => m.type === 'down');
  const killed = down?.killedStreams ?? [];
  const messages = box.peekAll();
  const endings = refs.map((ref) => messages.filter((m) => endsStream(m, ref)).length + killed.filter((k) => k === ref).length);
  expect(endings).toEqual(refs.map(() => 1));
  return down;
}

/** The stream error delivered for `ref`, if any. */
function streamErrorOf(box: Mailbox<ConnMessage>, ref: StreamRef): unknown {
  const m = box.peekAll().find((x) => x.type === 'error' && x.streamRef === ref);
  return m?.type === 'error' ? m.reason : undefined;
}

describe('CONNECT refused (RFC 9110 §9.3.6: any status other than 2xx is not a tunnel)', () => {
  const refusals = [
    { name: '407 without credentials (RFC 9110 §15.5.8)', status: 407, opts: { auth: { username: 'u', password: 'p' } }, host: '127.0.0.1' },
    { name: '403 for a host on the deny list', status: 403, opts: {}, host: 'deny.invalid' },
    { name: '403 for a port on the deny list', status: 403, opts: { denyPorts: [4] }, host: '127.0.0.1', port: 4 },
    { name: '502 when the proxy cannot reach the destination', status: 502, opts: {}, host: '127.0.0.1', port: 1 },
    { name: '500 forced', status: 500, opts: { reply: 500 }, host: '127.0.0.1' },
  ];
  it.each(refusals)('$name: a plain response; the request through it gets TUNNEL_ERR_NOT_A_TUNNEL, the plain one TUNNEL_ERR_CLOSING as the proxy closes', async ({ status, opts, host, port }) => {
    const proxy = await started(startConnectProxy(opts));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(proxy.port);
    const tunnel = c.connect({ host, port: port ?? origin.port }, {}, { replyTo: box });
    const held = c.get('/hello', {}, { tunnel, replyTo: box });
    const plain = c.get('/plain', {}, { replyTo: box });
    const down = await settled(c, box, [tunnel, held, plain]);
    expect(box.peekAll().find((m) => m.type === 'response')).toMatchObject({ streamRef: tunnel, status, fin: true });
    expect(box.peekAll().some((m) => m.type === 'tunnelUp')).toBe(false);
    // Not a tunnel (Gun §5.12); the refusal carries `connection: close`, so the rest is refused too.
    expect(streamErrorOf(box, held)).toMatchObject({ code: 'TUNNEL_ERR_NOT_A_TUNNEL' });
    expect(streamErrorOf(box, plain)).toMatchObject({ code: 'TUNNEL_ERR_CLOSING' });
    expect(down).toMatchObject({ reason: 'normal', killedStreams: [] });
    expect(proxy.records).toHaveLength(1);
    expect(origin.requests.filter((r) => r.url === '/plain')).toEqual([]);
  });

  /**
   * Regression: after a refusal that keeps the connection open, the commands held behind the
   * CONNECT ran on the proxy connection, those addressed through the refused tunnel included (the
   * proxy got `GET /held`). Gun answers them `badstate` "not a tunnel" (inventory §5.12).
   */
  it('a keep-alive 407: a request held for the refused tunnel gets TUNNEL_ERR_NOT_A_TUNNEL and never reaches the proxy', async () => {
    const proxy = await started(startRawOrigin((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const head = chunk.toString('latin1');
        if (head.startsWith('CONNECT ')) socket.write('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="x"\r\ncontent-length: 0\r\n\r\n');
        else socket.write('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
      });
    }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(proxy.port);
    const tunnel = c.connect({ host: '127.0.0.1', port: origin.port }, {}, { replyTo: box });
    const held = c.get('/held', {}, { tunnel, replyTo: box });
    expect(await c.await(tunnel)).toMatchObject({ type: 'response', status: 407 });
    await expect(c.await(held)).rejects.toMatchObject({ code: GunErrors.STREAM_ERROR, cause: { code: 'TUNNEL_ERR_NOT_A_TUNNEL' } });
    expect(proxy.received().toString('latin1')).not.toContain('/held');
  });
});

describe('SOCKS5 refused (RFC 1928 §6): every REP code 01-08 is a named error with socksReply', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('REP %i brings the connection down; the held request is killed', async (rep) => {
    const socks = await started(startSocks5Server({ replyCode: rep }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(socks.port, { protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] });
    const held = c.get('/hello', {}, { replyTo: box });
    const down = await settled(c, box, [held]);
    const reason = { code: SOCKS_REPLY_ERRORS[rep], socksReply: rep, origin: 'remote' };
    expect(down).toMatchObject({ protocol: 'socks', reason, killedStreams: [held] });
    expect(await c.terminated).toMatchObject(reason);
    expect(socks.records.map((r) => r.status)).toEqual([rep]);
  });

  it('behind a CONNECT: the CONNECT ended with its 200, the request held for the SOCKS hop is killed', async () => {
    const socks = await started(startSocks5Server({ replyCode: 2 }));
    const proxy = await started(startConnectProxy());
    const box = new Mailbox<ConnMessage>();
    const c = openTo(proxy.port);
    const tunnel = c.connect({ host: '127.0.0.1', port: socks.port, protocols: [{ socks: { host: '127.0.0.1', port: origin.port } }] }, {}, { replyTo: box });
    const held = c.get('/hello', {}, { tunnel, replyTo: box });
    const down = await settled(c, box, [tunnel, held]);
    expect(box.peekAll().filter((m) => m.type === 'tunnelUp')).toEqual([expect.objectContaining({ streamRef: tunnel, protocol: 'socks' })]);
    expect(down).toMatchObject({ protocol: 'socks', reason: { code: SocksErrors.NOT_ALLOWED, socksReply: 2 }, killedStreams: [held] });
  });

  it('wrong username/password is SOCKS_ERR_AUTH_FAILED (RFC 1929 §2)', async () => {
    const socks = await started(startSocks5Server({ auth: { username: 'u', password: 'p' } }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(socks.port, { protocols: [{ socks: { host: '127.0.0.1', port: origin.port, auth: [{ username: 'u', password: 'q' }] } }] });
    const held = c.get('/hello', {}, { replyTo: box });
    const down = await settled(c, box, [held]);
    expect(down).toMatchObject({ reason: { code: SocksErrors.AUTH_FAILED }, killedStreams: [held] });
  });
});

describe('a proxy closing mid-handshake', () => {
  it('a CONNECT proxy dropping the connection unanswered: down closed, the CONNECT and everything held killed', async () => {
    const proxy = await started(startConnectProxy({ reply: 'close' }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(proxy.port);
    const tunnel = c.connect({ host: '127.0.0.1', port: origin.port }, {}, { replyTo: box });
    const held = c.get('/hello', {}, { tunnel, replyTo: box });
    const plain = c.get('/plain', {}, { replyTo: box });
    const down = await settled(c, box, [tunnel, held, plain]);
    expect(down).toMatchObject({ protocol: 'http', reason: 'closed' });
    expect(new Set(down?.killedStreams)).toEqual(new Set([tunnel, held, plain]));
  });

  const steps: ReadonlyArray<Socks5Step> = ['greeting', 'auth', 'request'];
  it.each(steps)('a SOCKS5 server closing after the %s: SOCKS_ERR_CLOSED, the held request killed', async (closeAt) => {
    const auth = { username: 'u', password: 'p' };
    const socks = await started(startSocks5Server({ closeAt, auth }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(socks.port, { protocols: [{ socks: { host: '127.0.0.1', port: origin.port, auth: [auth] } }] });
    const held = c.get('/hello', {}, { replyTo: box });
    const down = await settled(c, box, [held]);
    expect(down).toMatchObject({ protocol: 'socks', reason: { code: SocksErrors.CLOSED }, killedStreams: [held] });
    expect(socks.records).toHaveLength(closeAt === 'request' ? 1 : 0);
  });
});

describe('TLS failing inside the tunnel (unknown CA; RFC 8446 §4.4.2)', () => {
  it.each([
    ['an http proxy', false],
    ['an https proxy (TLS over TLS)', true],
  ] as const)('through %s: GUN_ERR_TLS_HANDSHAKE, the CONNECT ended with its 200, the held request killed', async (_name, tls) => {
    const proxy = await started(startConnectProxy({ tls }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(proxy.port, tls ? { transport: 'tls', tlsOpts: { ca }, protocols: ['http'] } : {});
    // No `ca` for the destination: the test PKI's root is unknown to the default store.
    const tunnel = c.connect({ host: '127.0.0.1', port: tlsOrigin.port, transport: 'tls' }, {}, { replyTo: box });
    const held = c.get('/hello', {}, { tunnel, replyTo: box });
    const down = await settled(c, box, [tunnel, held]);
    expect(box.peekAll().find((m) => m.type === 'response')).toMatchObject({ streamRef: tunnel, status: 200, fin: true });
    expect(box.peekAll().some((m) => m.type === 'tunnelUp')).toBe(false);
    expect(down).toMatchObject({ reason: { code: GunErrors.TLS_HANDSHAKE }, killedStreams: [held] });
    expect(tlsOrigin.requests.filter((r) => r.url === '/hello')).toEqual([]);
  });

  it('through secure SOCKS: GUN_ERR_TLS_HANDSHAKE, the held request killed', async () => {
    const socks = await started(startSocks5Server({ tls: true }));
    const box = new Mailbox<ConnMessage>();
    const c = openTo(socks.port, { transport: 'tls', tlsOpts: { ca }, protocols: [{ socks: { host: '127.0.0.1', port: tlsOrigin.port, transport: 'tls' } }] });
    const held = c.get('/hello', {}, { replyTo: box });
    const down = await settled(c, box, [held]);
    expect(down).toMatchObject({ reason: { code: GunErrors.TLS_HANDSHAKE }, killedStreams: [held] });
  });
});

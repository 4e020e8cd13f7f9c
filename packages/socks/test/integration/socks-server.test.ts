/**
 * A real exchange over 127.0.0.1: a tiny SOCKS5 server written here with node:net (no auth or
 * username/password, CONNECT to IPv4 or names) in front of an origin that greets and echoes.
 */
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Socks5Client, SocksErrors } from '../../src/index.js';
import type { Socks5Auth, Socks5Event } from '../../src/index.js';

let origin: Server;
let proxy: Server;
let closedPort: number;
const credentials = { username: 'alice', password: 's3cret' };
let requireAuth = false;

/** Reads exactly n bytes from a socket that was paused by its reader. */
class Reader {
  private buffered = Buffer.alloc(0);
  private waiting: (() => void) | null = null;
  constructor(private readonly socket: Socket) {
    socket.on('data', (c) => { this.buffered = Buffer.concat([this.buffered, c]); this.waiting?.(); });
  }
  async read(n: number): Promise<Buffer> {
    while (this.buffered.length < n) await new Promise<void>((resolve) => { this.waiting = resolve; });
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }
  detach(): Buffer {
    this.socket.removeAllListeners('data');
    return this.buffered;
  }
}

async function serve(client: Socket): Promise<void> {
  const r = new Reader(client);
  const [, nmethods] = await r.read(2);
  const methods = [...(await r.read(nmethods!))];
  const method = requireAuth ? 2 : 0;
  if (!methods.includes(method)) { client.end(Buffer.from([5, 0xff])); return; }
  client.write(Buffer.from([5, method]));
  if (method === 2) {
    const [, ulen] = await r.read(2);
    const user = (await r.read(ulen!)).toString();
    const [plen] = await r.read(1);
    const pass = (await r.read(plen!)).toString();
    const good = user === credentials.username && pass === credentials.password;
    client.write(Buffer.from([1, good ? 0 : 1]));
    if (!good) { client.end(); return; }
  }
  const [, , , atyp] = await r.read(4);
  const host = atyp === 1 ? [...(await r.read(4))].join('.') : (await r.read((await r.read(1))[0]!)).toString();
  const port = (await r.read(2)).readUInt16BE(0);
  const upstream = connect(port, host);
  upstream.once('error', () => client.end(Buffer.from([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])));
  upstream.once('connect', () => {
    const local = upstream.localAddress!;
    const a = local.includes(':') ? [0, 0, 0, 0] : local.split('.').map(Number); // the bound address is informative only
    client.write(Buffer.from([5, 0, 0, 1, ...a, upstream.localPort! >> 8, upstream.localPort! & 0xff]));
    const early = r.detach();
    if (early.length > 0) upstream.write(early);
    client.pipe(upstream).pipe(client);
  });
}

const listen = (server: Server): Promise<number> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  origin = createServer((s) => { s.write('hello\n'); s.pipe(s); });
  proxy = createServer((c) => { c.on('error', () => undefined); void serve(c); });
  await Promise.all([listen(origin), listen(proxy)]);
  const spare = createServer();
  closedPort = await listen(spare);
  await new Promise((resolve) => spare.close(resolve));
});

afterAll(async () => {
  await Promise.all([origin, proxy].map((s) => new Promise((resolve) => { s.close(resolve); })));
});

/** Runs the handshake; resolves with the events and the tunnelled bytes once `want` bytes came. */
function tunnel(host: string, port: number, auth: Socks5Auth[], send: string, want: number): Promise<{ events: Socks5Event[]; data: string }> {
  return new Promise((resolve) => {
    const s = new Socks5Client({ destination: { host, port }, auth });
    const socket = connect((proxy.address() as AddressInfo).port, '127.0.0.1');
    const events: Socks5Event[] = [];
    let data = '';
    const finish = (): void => { socket.destroy(); resolve({ events, data }); };
    const flush = (): void => { for (const b of s.takeOutput()) socket.write(b); };
    socket.on('connect', () => { s.start(); flush(); });
    socket.on('data', (chunk) => {
      if (s.state === 'connected') data += chunk.toString();
      else {
        const batch = s.receive(new Uint8Array(chunk));
        events.push(...batch);
        flush();
        if (batch.some((e) => e.type === 'connected')) {
          data += Buffer.from(s.takeRemainder()).toString();
          socket.write(send);
        }
        if (s.state === 'failed') finish();
      }
      if (data.length >= want) finish();
    });
    socket.on('end', () => { events.push(...s.receiveEof()); finish(); });
  });
}

const originPort = (): number => (origin.address() as AddressInfo).port;

describe('SOCKS5 against a node:net SOCKS5 server', () => {
  afterEach(() => { requireAuth = false; });

  it('connects without authentication to an IPv4 destination and tunnels bytes both ways', async () => {
    const { events, data } = await tunnel('127.0.0.1', originPort(), ['none'], 'echo me', 13);
    expect(events.map((e) => e.type)).toEqual(['authenticated', 'connected']);
    expect(data).toBe('hello\necho me');
  });

  it('connects to a domain name the server resolves', async () => {
    const { events, data } = await tunnel('localhost', originPort(), ['none'], 'x', 7);
    expect(events.at(-1)).toMatchObject({ type: 'connected', bound: { port: expect.any(Number) } });
    expect(data).toBe('hello\nx');
  });

  it('authenticates with username/password (RFC 1929)', async () => {
    requireAuth = true;
    const { events, data } = await tunnel('127.0.0.1', originPort(), ['none', credentials], 'y', 7);
    expect(events[0]).toEqual({ type: 'authenticated', method: 'usernamePassword' });
    expect(data).toBe('hello\ny');
  });

  it('reports SOCKS_ERR_AUTH_FAILED on wrong credentials', async () => {
    requireAuth = true;
    const { events } = await tunnel('127.0.0.1', originPort(), [{ username: 'alice', password: 'wrong' }], '', 1);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: SocksErrors.AUTH_FAILED } });
  });

  it('reports SOCKS_ERR_NO_ACCEPTABLE_METHODS when the server wants a method not offered', async () => {
    requireAuth = true;
    const { events } = await tunnel('127.0.0.1', originPort(), ['none'], '', 1);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: SocksErrors.NO_ACCEPTABLE_METHODS } });
  });

  it("reports SOCKS_ERR_CONNECTION_REFUSED with socksReply 5 on REP X'05'", async () => {
    const { events } = await tunnel('127.0.0.1', closedPort, ['none'], '', 1);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: SocksErrors.CONNECTION_REFUSED, socksReply: 5 } });
  });
});

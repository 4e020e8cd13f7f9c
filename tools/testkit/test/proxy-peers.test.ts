import { startHttpOrigin, type TestOrigin } from '../src/origins.js';
import { requireProxyPeer, startDanted, startMicrosocks, startNghttpxProxy, startSquid, systemAccountExists, type DebianProxy } from '../src/proxies/debian.js';
import { basic, dial, getOver, h2Connect, h2Session, httpConnect, Reader, secure, socksConnect } from './proxy-clients.js';

const ALICE = { username: 'alice', password: 's3cret' };
/** The account PEERS.md creates for danted's RFC 1929 method. */
const SOCKSUSER = { username: 'socksuser', password: 's3cret' };

const haveAll = (['squid', 'htpasswd', 'danted', 'microsocks', 'nghttpx'] as const).map(requireProxyPeer).every((ok) => ok);
const describePeers = haveAll ? describe : describe.skip;

/** Polls a peer's log until it matches (peers write a line when a tunnel closes); 3 s at most. */
async function logMatching(peer: DebianProxy, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const log = peer.log();
    if (pattern.test(log) || Date.now() > deadline) return log;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describePeers('Debian proxies', () => {
  let origin: TestOrigin;
  let tlsOrigin: TestOrigin;
  let squid: DebianProxy;
  let danted: DebianProxy;
  let microsocks: DebianProxy;

  beforeAll(async () => {
    // allSettled: whatever started is assigned (and closed by afterAll) even if another start fails.
    const started = await Promise.allSettled([startHttpOrigin(), startHttpOrigin({ tls: true }), startSquid({ auth: ALICE }), startDanted(), startMicrosocks({ auth: ALICE })] as const);
    const [o, t, s, d, m] = started;
    if (o.status === 'fulfilled') origin = o.value;
    if (t.status === 'fulfilled') tlsOrigin = t.value;
    if (s.status === 'fulfilled') squid = s.value;
    if (d.status === 'fulfilled') danted = d.value;
    if (m.status === 'fulfilled') microsocks = m.value;
    const failed = started.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  });
  afterAll(async () => {
    await Promise.all([origin, tlsOrigin, squid, danted, microsocks].map((p) => p?.close()));
  });

  describe('squid', () => {
    it('answers 407 with Proxy-Authenticate Basic realm="gun-test" without credentials', async () => {
      const reply = await httpConnect(await dial(squid.port, false), `127.0.0.1:${origin.port}`);
      expect(reply.status).toBe(407);
      expect(reply.head).toMatch(/\r\nProxy-Authenticate: Basic realm="gun-test"\r\n/i);
      reply.socket.destroy();
    });

    it('tunnels with Basic credentials and logs TCP_TUNNEL/200 for the user', async () => {
      const target = `127.0.0.1:${origin.port}`;
      const reply = await httpConnect(await dial(squid.port, false), target, [basic('alice', 's3cret')]);
      expect(reply.status).toBe(200);
      expect(await getOver(reply.socket, '/hello', target)).toEqual({ status: 200, body: 'Hello world!' });
      expect(await logMatching(squid, /TCP_TUNNEL\/200 .* CONNECT 127\.0\.0\.1:\d+ alice/)).toContain(`CONNECT ${target} alice`);
      expect(squid.url).toBe(`http://127.0.0.1:${squid.port}`);
    });
  });

  describe('danted', () => {
    it('tunnels SOCKS5 without authentication and logs the connection', async () => {
      const answer = await socksConnect(await dial(danted.port, false), { host: '127.0.0.1', port: origin.port, atyp: 1 });
      expect(answer.rep).toBe(0);
      expect(await getOver(answer.socket, '/hello', 'localhost')).toEqual({ status: 200, body: 'Hello world!' });
      expect(await logMatching(danted, new RegExp(`127\\.0\\.0\\.1\\.${origin.port}`))).toMatch(new RegExp(`127\\.0\\.0\\.1\\.${origin.port}`));
    });

    const withAccount = systemAccountExists(SOCKSUSER.username);
    if (!withAccount) console.warn(`\n!!! SKIPPING danted RFC 1929 test: no system account '${SOCKSUSER.username}' (see PEERS.md) !!!\n`);
    (withAccount ? it : it.skip)('authenticates RFC 1929 against the system account', async () => {
      const authed = await startDanted({ auth: SOCKSUSER });
      try {
        const answer = await socksConnect(await dial(authed.port, false), { host: '127.0.0.1', port: origin.port, atyp: 1 }, SOCKSUSER);
        expect(answer.rep).toBe(0);
      } finally {
        await authed.close();
      }
    });

    it('refuses to start with auth for a missing system account', async () => {
      await expect(startDanted({ auth: { username: 'no-such-gun-user', password: 'x' } })).rejects.toThrow(/system accounts/);
    });
  });

  describe('microsocks', () => {
    it('tunnels with RFC 1929 username/password to a TLS origin', async () => {
      const answer = await socksConnect(await dial(microsocks.port, false), { host: 'localhost', port: tlsOrigin.port }, ALICE);
      expect(answer.rep).toBe(0);
      expect(await getOver(await secure(answer.socket), '/hello', 'localhost')).toEqual({ status: 200, body: 'Hello world!' });
    });

    it('answers a greeting without method 02 with 05 FF', async () => {
      const socket = await dial(microsocks.port, false);
      const reader = new Reader(socket);
      socket.write(Buffer.from([5, 1, 0]));
      expect([...(await reader.read(2))]).toEqual([5, 0xff]);
      socket.destroy();
    });

    it('rejects a wrong password', async () => {
      await expect(socksConnect(await dial(microsocks.port, false), { host: '127.0.0.1', port: origin.port, atyp: 1 }, { username: 'alice', password: 'nope' })).rejects.toThrow();
    });
  });

  describe.each([
    { name: 'h2c', tls: false },
    { name: 'h2 over TLS', tls: true },
  ])('nghttpx -s ($name) in front of squid', ({ tls }) => {
    let nghttpx: DebianProxy;
    beforeAll(async () => {
      nghttpx = await startNghttpxProxy({ tls, backendPort: squid.port });
    });
    afterAll(() => nghttpx?.close());

    it('relays CONNECT with proxy-authorization to squid and tunnels a GET', async () => {
      const session = await h2Session(nghttpx.port, tls);
      try {
        const target = `127.0.0.1:${origin.port}`;
        const tunnel = await h2Connect(session, target, { 'proxy-authorization': basic('alice', 's3cret')[1] });
        expect(tunnel.status).toBe(200);
        expect(await getOver(tunnel.stream, '/hello', target)).toEqual({ status: 200, body: 'Hello world!' });
      } finally {
        session.destroy();
      }
    });

    it("relays squid's 407 as an HTTP/2 response", async () => {
      const session = await h2Session(nghttpx.port, tls);
      try {
        const tunnel = await h2Connect(session, `127.0.0.1:${origin.port}`);
        expect(tunnel.status).toBe(407);
        expect(tunnel.headers['proxy-authenticate']).toBe('Basic realm="gun-test"');
      } finally {
        session.destroy();
      }
    });
  });

  it('chains client → squid → danted → HTTPS origin', async () => {
    const hop1 = await httpConnect(await dial(squid.port, false), `127.0.0.1:${danted.port}`, [basic('alice', 's3cret')]);
    expect(hop1.status).toBe(200);
    const hop2 = await socksConnect(hop1.socket, { host: '127.0.0.1', port: tlsOrigin.port, atyp: 1 });
    expect(hop2.rep).toBe(0);
    expect(await getOver(await secure(hop2.socket), '/hello', 'localhost')).toEqual({ status: 200, body: 'Hello world!' });
    expect(tlsOrigin.requests.map((r) => r.url)).toContain('/hello');
  });
});

/**
 * Gun's event_SUITE, connection part: init, domain_lookup_*, connect_*, tls_handshake_* (Gun
 * §1.5 events 1 to 7, §4 the establishment sequence), each case over HTTP/1.1 and HTTP/2, and
 * tls_handshake_*_connect_tls through a CONNECT proxy speaking the group's protocol (HTTP/1.1:
 * a connection-wide tunnel; HTTP/2: a stream-wide one).
 */
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { getTestPki, startConnectProxy, startH2ConnectProxy, startHttp2Origin, startHttpOrigin } from '@gunhttp/testkit';
import type { Http2Origin, TestOrigin, TestProxy } from '@gunhttp/testkit';
import { GunErrors } from '../../../src/index.js';
import type { ConnectDestination, Connection } from '../../../src/index.js';
import type { EventRecorder } from './event-recorder.js';
import { PROTOCOLS, closeAll, closedPort, openRecorded } from './support.js';

afterEach(closeAll);

describe.each(PROTOCOLS)('connection events over %s (Gun event_SUITE)', (protocol) => {
  let tcpOrigin: TestOrigin | Http2Origin;
  let tlsOrigin: TestOrigin | Http2Origin;
  let unused: number;
  beforeAll(async () => {
    tcpOrigin = protocol === 'http' ? await startHttpOrigin() : await startHttp2Origin();
    tlsOrigin = protocol === 'http' ? await startHttpOrigin({ tls: true }) : await startHttp2Origin({ tls: true });
    unused = await closedPort();
  });
  afterAll(async () => {
    await tcpOrigin.close();
    await tlsOrigin.close();
  });
  const tlsOpts = (): { ca: string } => ({ ca: getTestPki().caPem });

  it('init comes first with owner, transport, origin scheme/host/port and the options as given to open (Gun init)', async () => {
    const { conn, rec } = openRecorded('localhost', unused, { protocols: [protocol] });
    await conn.terminated;
    expect(rec.names[0]).toBe('init');
    expect(rec.names[1]).toBe('domainLookupStart');
    const init = rec.first('init');
    expect(init).toMatchObject({ owner: conn.owner, transport: 'tcp', originScheme: 'http', originHost: 'localhost', originPort: unused });
    // Exactly the options given (no defaults added), as Gun's `opts := Opts`.
    expect(init.opts).toEqual({ retry: 0, protocols: [protocol], eventHandler: rec.handler });
  });

  it('init reports transport tls and scheme https for a TLS connection', async () => {
    const { conn, rec } = openRecorded('localhost', unused, { protocols: [protocol], transport: 'tls' });
    await conn.terminated;
    expect(rec.first('init')).toMatchObject({ transport: 'tls', originScheme: 'https', originHost: 'localhost', originPort: unused });
  });

  it('domainLookupStart gives the host, port, tcpOpts and timeout before the lookup (Gun domain_lookup_start)', async () => {
    const { conn, rec } = openRecorded('localhost', unused, { protocols: [protocol], domainLookupTimeout: 1234, tcpOpts: { noDelay: true } });
    await conn.terminated;
    expect(rec.first('domainLookupStart')).toEqual({ host: 'localhost', port: unused, tcpOpts: { noDelay: true }, timeout: 1234 });
  });

  it('domainLookupEnd gives the resolved addresses, after domainLookupStart and before connectStart (Gun domain_lookup_end_ok)', async () => {
    const { conn, rec } = openRecorded('localhost', unused, { protocols: [protocol], domainLookupTimeout: 1234, tcpOpts: { noDelay: true } });
    await conn.terminated;
    expect(rec.names.slice(0, 4)).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart']);
    const end = rec.first('domainLookupEnd');
    const tcpOpts = { noDelay: true };
    expect(end).toMatchObject({ host: 'localhost', port: unused, tcpOpts, timeout: 1234, lookupInfo: { port: unused, tcpModule: 'node:net', tcpOpts } });
    expect(end.lookupInfo?.ipAddresses).toContain('127.0.0.1');
    expect(end).not.toHaveProperty('error');
  });

  it('domainLookupEnd gives the error when the name does not resolve, and no connectStart follows (Gun domain_lookup_end_error)', async () => {
    const { conn, rec } = openRecorded('this.should.not.exist.invalid', 12345, { protocols: [protocol] });
    const reason = await conn.terminated;
    expect(reason).toMatchObject({ code: GunErrors.DOMAIN_LOOKUP });
    const end = rec.first('domainLookupEnd');
    expect(end).toMatchObject({ host: 'this.should.not.exist.invalid', port: 12345, tcpOpts: {}, timeout: Infinity, error: { code: GunErrors.DOMAIN_LOOKUP } });
    expect(end).not.toHaveProperty('lookupInfo');
    expect(rec.names).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'terminate']);
  });

  it('connectStart gives the lookup info (addresses, port, tcpModule, tcpOpts) and the connect timeout (Gun connect_start)', async () => {
    const { conn, rec } = openRecorded('localhost', unused, { protocols: [protocol], connectTimeout: 4321, tcpOpts: { keepAlive: true } });
    await conn.terminated;
    const lookupInfo = { ipAddresses: rec.first('domainLookupEnd').lookupInfo?.ipAddresses, port: unused, tcpModule: 'node:net', tcpOpts: { keepAlive: true } };
    expect(rec.first('connectStart')).toEqual({ lookupInfo, timeout: 4321 });
    expect(rec.first('connectEnd')).toMatchObject({ lookupInfo, timeout: 4321 });
  });

  it('connectEnd gives the error when the connection is refused, then terminate (Gun connect_end_error)', async () => {
    const { conn, rec } = openRecorded('127.0.0.1', unused, { protocols: [protocol] });
    await conn.terminated;
    expect(rec.names).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'terminate']);
    const end = rec.first('connectEnd');
    expect(end).toMatchObject({ lookupInfo: { ipAddresses: ['127.0.0.1'], port: unused }, timeout: Infinity, error: { code: GunErrors.CONNECT } });
    expect(end).not.toHaveProperty('socket');
    expect(end).not.toHaveProperty('protocol');
  });

  it('connectEnd gives the socket and the protocol for TCP (Gun connect_end_ok_tcp)', async () => {
    const { conn, rec } = openRecorded('127.0.0.1', tcpOrigin.port, { protocols: [protocol] });
    const up = await conn.awaitUp();
    expect(up).toBe(protocol);
    const end = rec.first('connectEnd');
    expect(end).toMatchObject({ lookupInfo: { ipAddresses: ['127.0.0.1'], port: tcpOrigin.port }, timeout: Infinity, protocol });
    expect(end.socket).toBeInstanceOf(Socket);
    expect(end.socket).toBe(conn.info().socket);
    expect(end).not.toHaveProperty('error');
  });

  it('connectEnd gives the socket but no protocol for TLS: ALPN decides later (Gun connect_end_ok_tls)', async () => {
    const { conn, rec } = openRecorded('localhost', tlsOrigin.port, { protocols: [protocol], transport: 'tls', tlsOpts: tlsOpts() });
    await conn.awaitUp();
    const end = rec.first('connectEnd');
    expect(end.socket).toBeInstanceOf(Socket);
    expect(end.socket).not.toBeInstanceOf(TLSSocket);
    expect(end).not.toHaveProperty('protocol');
  });

  it('tlsHandshakeStart gives the TCP socket, the TLS options and the timeout, after connectEnd (Gun tls_handshake_start)', async () => {
    const { conn, rec } = openRecorded('localhost', tlsOrigin.port, { protocols: [protocol], transport: 'tls', tlsOpts: tlsOpts(), tlsHandshakeTimeout: 2500 });
    await conn.awaitUp();
    expect(rec.names.slice(0, 7)).toEqual(['init', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'connectEnd', 'tlsHandshakeStart', 'tlsHandshakeEnd']);
    const start = rec.first('tlsHandshakeStart');
    expect(start.socket).toBe(rec.first('connectEnd').socket);
    expect(start.socket).not.toBeInstanceOf(TLSSocket);
    expect(start.timeout).toBe(2500);
    // The TLS options after the client's defaults are added (ALPN from `protocols`, SNI).
    expect(start.tlsOpts).toMatchObject({ ALPNProtocols: [protocol === 'http' ? 'http/1.1' : 'h2'], servername: 'localhost', ca: getTestPki().caPem });
    expect(start).not.toHaveProperty('streamRef');
  });

  it('tlsHandshakeEnd gives the TLS socket and the negotiated protocol (Gun tls_handshake_end_ok)', async () => {
    const { conn, rec } = openRecorded('localhost', tlsOrigin.port, { protocols: [protocol], transport: 'tls', tlsOpts: tlsOpts(), tlsHandshakeTimeout: 2500 });
    const up = await conn.awaitUp();
    const end = rec.first('tlsHandshakeEnd');
    expect(end).toMatchObject({ timeout: 2500, protocol: up, tlsOpts: rec.first('tlsHandshakeStart').tlsOpts });
    expect(up).toBe(protocol);
    expect(end.socket).toBeInstanceOf(TLSSocket);
    expect(end.socket).toBe(conn.info().socket);
    expect(end).not.toHaveProperty('error');
  });

  it('tlsHandshakeEnd gives the error when the port does not speak TLS, then terminate (Gun tls_handshake_end_error)', async () => {
    const { conn, rec } = openRecorded('localhost', tcpOrigin.port, { protocols: [protocol], transport: 'tls', tlsOpts: tlsOpts() });
    await conn.terminated;
    expect(rec.names.slice(-3)).toEqual(['tlsHandshakeStart', 'tlsHandshakeEnd', 'terminate']);
    const end = rec.first('tlsHandshakeEnd');
    expect(end).toMatchObject({ error: { code: GunErrors.TLS_HANDSHAKE } });
    expect(end.socket).toBe(rec.first('tlsHandshakeStart').socket);
    expect(end).not.toHaveProperty('protocol');
  });

  describe.each([
    ['TCP', false],
    ['TLS', true],
  ] as const)(`TLS to an origin behind a %s ${protocol} CONNECT proxy (Gun tls_handshake_*_connect_tls)`, (_name, proxyTls) => {
    let proxy: TestProxy;
    beforeAll(async () => {
      proxy = protocol === 'http' ? await startConnectProxy({ tls: proxyTls }) : await startH2ConnectProxy({ tls: proxyTls });
    });
    afterAll(() => proxy.close());

    /** Up on the proxy, its own events forgotten (Gun's test skips the proxy's handshake events). */
    async function viaProxy(): Promise<{ conn: Connection; rec: EventRecorder; proxySocket: unknown }> {
      const { conn, rec } = openRecorded('127.0.0.1', proxy.port, { protocols: [protocol], ...(proxyTls ? { transport: 'tls' as const, tlsOpts: tlsOpts() } : {}) });
      await conn.awaitUp();
      rec.clear();
      return { conn, rec, proxySocket: conn.info().socket };
    }
    const destination = (port: number): ConnectDestination => ({ host: '127.0.0.1', port, transport: 'tls', tlsOpts: tlsOpts(), tlsHandshakeTimeout: 2500, protocols: [protocol] });
    /**
     * The socket the handshake runs over: over HTTP/1.1 the proxy socket itself (the tunnel is
     * connection-wide); over HTTP/2 a duplex carried by the CONNECT stream's DATA frames (Gun
     * gives a map naming the stream there, its OriginSocket).
     */
    function expectHandshakeSocket(socket: unknown, proxySocket: unknown): void {
      if (protocol === 'http') {
        expect(socket).toBe(proxySocket);
        expect(socket instanceof TLSSocket).toBe(proxyTls);
      } else {
        expect(socket).toBeInstanceOf(Duplex);
        expect(socket).not.toBe(proxySocket);
        expect(socket).not.toBeInstanceOf(TLSSocket);
        expect(socket).not.toBeInstanceOf(Socket);
      }
    }

    it('tlsHandshakeStart gives the CONNECT streamRef and replyTo, the proxy socket, the TLS options and the timeout (Gun tls_handshake_start_*_connect_tls)', async () => {
      const { conn, rec, proxySocket } = await viaProxy();
      const ref = conn.connect(destination(tlsOrigin.port));
      const start = await rec.waitFor('tlsHandshakeStart');
      const alpn = protocol === 'http' ? 'http/1.1' : 'h2';
      expect(start).toMatchObject({ streamRef: ref, replyTo: conn.owner, timeout: 2500, tlsOpts: { ALPNProtocols: [alpn], ca: getTestPki().caPem } });
      expectHandshakeSocket(start.socket, proxySocket);
      // Closing mid-handshake leaves the tlsHandshakeTimeout timer running until it fires
      // (transport.ts tlsOver: a socket destroyed without an error never settles it).
      await rec.waitFor('tlsHandshakeEnd');
    });

    it('tlsHandshakeEnd gives the CONNECT streamRef and replyTo, the new TLS socket and the protocol (Gun tls_handshake_end_ok_*_connect_tls)', async () => {
      const { conn, rec, proxySocket } = await viaProxy();
      const ref = conn.connect(destination(tlsOrigin.port));
      expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
      expect(await conn.await(ref)).toMatchObject({ type: 'tunnelUp', protocol });
      const end = rec.first('tlsHandshakeEnd');
      expect(end).toMatchObject({ streamRef: ref, replyTo: conn.owner, timeout: 2500, protocol, tlsOpts: rec.first('tlsHandshakeStart').tlsOpts });
      expect(end.socket).toBeInstanceOf(TLSSocket);
      expect(end.socket).not.toBe(proxySocket);
      expect(end.socket).not.toBe(rec.first('tlsHandshakeStart').socket);
      // An HTTP/1.1 CONNECT moves the whole connection onto the new socket; an HTTP/2 one only
      // its stream, so the connection's socket stays the proxy's (Gun: a gun_tls_proxy pid).
      expect(conn.info().socket).toBe(protocol === 'http' ? end.socket : proxySocket);
      expect(end).not.toHaveProperty('error');
    });

    it('tlsHandshakeEnd gives the CONNECT streamRef, replyTo and the error when the origin does not speak TLS (Gun tls_handshake_end_error_*_connect_tls)', async () => {
      const { conn, rec, proxySocket } = await viaProxy();
      const ref = conn.connect(destination(tcpOrigin.port));
      const end = await rec.waitFor('tlsHandshakeEnd');
      expect(end).toMatchObject({ streamRef: ref, replyTo: conn.owner, timeout: 2500, error: { code: GunErrors.TLS_HANDSHAKE } });
      expectHandshakeSocket(end.socket, proxySocket);
      expect(end.socket).toBe(rec.first('tlsHandshakeStart').socket);
      expect(end).not.toHaveProperty('protocol');
    });
  });
});

/*
 * Gun §3.2, §5.12: when the protocol inside an HTTP/2 CONNECT tunnel fails (a bad preface, a
 * protocol error of the origin), the failure is a stream error of the tunnel's stream (Gun turns
 * the inner `connection_error` into a `stream_error` of the CONNECT stream), the streams inside
 * get TUNNEL_ERR_TUNNEL_CLOSED, the CONNECT stream is cancelled, and the proxy connection with its
 * other streams goes on: no connection-level error, no `down`.
 */
import type { Socket } from 'node:net';
import { H2ErrorCodes, Http2Errors } from '@gunhttp/http2';
import { Http1Errors } from '@gunhttp/http1';
import { startH2ConnectProxy, startRawOrigin } from '@gunhttp/testkit';
import type { RawOrigin } from '@gunhttp/testkit';
import { TunnelErrors } from '@gunhttp/tunnel';
import type { Connection, ConnMessage, StreamRef } from '../../../src/index.js';
import { closedAfterEach } from '../../support/helpers.js';
import { framesSent, openH2cProxy, sendFrames } from './h2-script.js';

const HOST = '127.0.0.1';
const PREFACE_LENGTH = 24;
const HEADERS = 0x1;
let conn: Connection | undefined;
const started = closedAfterEach(() => {
  conn?.close();
  conn = undefined;
});

const frameTypes = (bytes: Buffer): number[] => framesSent(bytes).map((f) => f.type);

/** An origin that calls `answer` once its connection has sent `done` bytes (checked on each chunk). */
function originAnswering(done: (bytes: Buffer) => boolean, answer: (socket: Socket) => void): Promise<RawOrigin> {
  let origin: RawOrigin | undefined;
  return startRawOrigin((socket) => {
    const onData = (): void => {
      if (origin === undefined || !done(origin.received())) return;
      socket.off('data', onData);
      answer(socket);
    };
    // After the origin's own 'data' listener, so received() includes the chunk.
    setImmediate(() => socket.on('data', onData));
  }).then((o) => (origin = o));
}

/** An HTTP/2 origin that answers the first HEADERS it gets with `answer` (its preface not sent yet). */
const h2OriginAnswering = (answer: (socket: Socket) => void): Promise<RawOrigin> =>
  originAnswering((b) => b.length > PREFACE_LENGTH && frameTypes(b).includes(HEADERS), answer);

/** An HTTP/1.1 origin that answers once it has a whole request head. */
const h1OriginAnswering = (answer: (socket: Socket) => void): Promise<RawOrigin> =>
  originAnswering((b) => b.includes('\r\n\r\n'), answer);

/** A replyTo that keeps every message in order and tells when one matching a predicate came. */
class Recorder {
  readonly log: ConnMessage[] = [];
  private readonly waiters: Array<{ match: (m: ConnMessage) => boolean; resolve: () => void }> = [];
  readonly replyTo = (m: ConnMessage): void => {
    this.log.push(m);
    for (const w of this.waiters.filter((x) => x.match(m))) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  };

  /** Resolves once a message matching `match` came; rejects after `timeout` ms. */
  until(match: (m: ConnMessage) => boolean, timeout = 5000): Promise<void> {
    if (this.log.some(match)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The awaited message did not come.')), timeout);
      this.waiters.push({ match, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  of(ref: StreamRef): ConnMessage[] {
    return this.log.filter((m) => 'streamRef' in m && m.streamRef === ref);
  }

  /** Messages without a stream ref (connection-level errors). */
  unscoped(): ConnMessage[] {
    return this.log.filter((m) => !('streamRef' in m) || m.streamRef === undefined);
  }
}

/** Everything the proxy connection's owner got without a stream ref: connection-level errors, down. */
const connectionLevel = (c: Connection): ConnMessage[] =>
  c.owner.peekAll().filter((m) => m.type === 'down' || (m.type === 'error' && m.streamRef === undefined));

/**
 * Opens a tunnel to `port` with two requests held for it, all answering to one mailbox, and
 * waits for the tunnel's final error; then the CONNECT stream is gone and the proxy answers.
 */
async function failingTunnel(c: Connection, port: number, protocols: ['http2'] | ['http']): Promise<{ box: Recorder; tunnel: StreamRef; inner: StreamRef[] }> {
  const box = new Recorder();
  const replyTo = box.replyTo;
  const tunnel = c.connect({ host: HOST, port, protocols }, {}, { replyTo });
  const inner = [c.get('/a', {}, { tunnel, replyTo }), c.get('/b', {}, { tunnel, replyTo })];
  await box.until((m) => m.type === 'error' && m.streamRef === tunnel);
  expect(await c.await(c.get('/'))).toMatchObject({ type: 'response', status: 405 });
  expect(c.streamInfo(tunnel)).toBeUndefined();
  return { box, tunnel, inner };
}

/** Each stream inside got exactly one message: TUNNEL_ERR_TUNNEL_CLOSED caused by `code`. */
function expectClosedOnce(box: Recorder, inner: StreamRef[], code: string): void {
  for (const ref of inner) {
    expect(box.of(ref)).toEqual([
      expect.objectContaining({ type: 'error', streamRef: ref, reason: expect.objectContaining({ code: TunnelErrors.TUNNEL_CLOSED, cause: expect.objectContaining({ code }) }) }),
    ]);
  }
  expect(box.unscoped()).toEqual([]);
}

describe('a failure of the protocol inside an HTTP/2 tunnel is an error of the tunnel, not of the proxy connection (Gun §5.12)', () => {
  it('garbage instead of the HTTP/2 preface: the CONNECT ref gets H2_ERR_PREFACE as a stream error, each stream inside one TUNNEL_ERR_TUNNEL_CLOSED (RFC 9113 §3.4)', async () => {
    const origin = await started(h2OriginAnswering((s) => s.write('this is no HTTP/2 server preface at all\r\n')));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const { box, tunnel, inner } = await failingTunnel(conn, origin.port, ['http2']);
    expect(box.of(tunnel)).toEqual([
      expect.objectContaining({ type: 'response', status: 200, fin: true }),
      expect.objectContaining({ type: 'tunnelUp', protocol: 'http2' }),
      expect.objectContaining({ type: 'error', reason: expect.objectContaining({ code: Http2Errors.PREFACE, scope: 'stream', h2Code: 'PROTOCOL_ERROR' }) }),
    ]);
    expectClosedOnce(box, inner, Http2Errors.PREFACE);
    expect(connectionLevel(conn)).toEqual([]);
  });

  it('an HTTP/1.1 protocol error of the origin: the CONNECT ref gets it, the streams inside TUNNEL_ERR_TUNNEL_CLOSED (RFC 9112 §4)', async () => {
    const origin = await started(h1OriginAnswering((s) => s.write('XTTP/1.1 200 OK\r\n\r\n')));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const { box, tunnel, inner } = await failingTunnel(conn, origin.port, ['http']);
    const failure = box.of(tunnel).at(-1);
    expect(failure).toMatchObject({ type: 'error', reason: { code: Http1Errors.INVALID_STATUS_LINE } });
    expectClosedOnce(box, inner, Http1Errors.INVALID_STATUS_LINE);
    expect(connectionLevel(conn)).toEqual([]);
  });

  it('an await on another stream of the proxy connection is not disturbed while a tunnel fails', async () => {
    let answer: (() => void) | undefined;
    const slow = await started(h1OriginAnswering((s) => (answer = () => s.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok'))));
    const bad = await started(h2OriginAnswering((s) => s.write('no preface')));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const other = conn.connect({ host: HOST, port: slow.port });
    const request = conn.get('/slow', {}, { tunnel: other });
    const waiting = conn.await(request, 5000);
    // The failing tunnel's streams answer to the owner, as the awaited one does.
    const tunnel = conn.connect({ host: HOST, port: bad.port, protocols: ['http2'] });
    const inner = conn.get('/', {}, { tunnel });
    await expect(conn.await(inner)).rejects.toMatchObject({ cause: { code: TunnelErrors.TUNNEL_CLOSED, cause: { code: Http2Errors.PREFACE } } });
    await expect(conn.await(tunnel)).resolves.toMatchObject({ type: 'response', status: 200 });
    await expect(conn.await(tunnel)).resolves.toMatchObject({ type: 'tunnelUp' });
    await expect(conn.await(tunnel)).rejects.toMatchObject({ cause: { code: Http2Errors.PREFACE } });
    answer?.();
    expect(answer).toBeDefined();
    expect(await waiting).toMatchObject({ type: 'response', status: 200, streamRef: request });
    expect(connectionLevel(conn)).toEqual([]);
  });

  it('GOAWAY PROTOCOL_ERROR from the origin: the unprocessed stream gets H2_ERR_GOAWAY once, the tunnel closes, the proxy stays up (RFC 9113 §6.8)', async () => {
    const origin = await started(h2OriginAnswering((s) => sendFrames(s, { type: 'settings' }, { type: 'goAway', lastStreamId: 0, errorCode: H2ErrorCodes.PROTOCOL_ERROR })));
    const proxy = await started(startH2ConnectProxy());
    conn = await openH2cProxy(proxy.port);
    const box = new Recorder();
    const tunnel = conn.connect({ host: HOST, port: origin.port, protocols: ['http2'] }, {}, { replyTo: box.replyTo });
    const inner = conn.get('/', {}, { tunnel, replyTo: box.replyTo });
    await box.until((m) => m.type === 'error' && m.streamRef === inner);
    await new Promise((resolve) => origin.sockets[0]!.once('close', resolve));
    expect(await conn.await(conn.get('/'))).toMatchObject({ type: 'response', status: 405 });
    expect(conn.streamInfo(tunnel)).toBeUndefined();
    expect(box.of(inner)).toEqual([
      expect.objectContaining({ type: 'error', reason: expect.objectContaining({ code: Http2Errors.GOAWAY, h2Code: 'PROTOCOL_ERROR' }) }),
    ]);
    expect(box.unscoped()).toEqual([]);
    expect(connectionLevel(conn)).toEqual([]);
  });
});

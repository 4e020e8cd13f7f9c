/**
 * Plain node clients for the proxy tests: CONNECT over HTTP/1.1 and HTTP/2, a hand-written
 * SOCKS5 client, TLS over any stream, and an HTTP/1.1 GET over an existing stream.
 */
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { connect as h2connect, type ClientHttp2Session, type ClientHttp2Stream, type IncomingHttpHeaders } from 'node:http2';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { getTestPki } from '../src/pki.js';

/** Reads exact byte counts or up to a delimiter from a stream, then hands the stream back. */
export class Reader {
  private buffered: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended = false;

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onEnd);
    // A stream handed back by release() was paused explicitly; a 'data' listener alone would not resume it.
    stream.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.waiter?.();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.waiter?.();
  };

  private async until(done: () => boolean): Promise<void> {
    while (!done()) {
      if (this.ended) throw new Error(`stream ended; ${this.buffered.length} octets buffered`);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
  }

  /** Resolves with exactly `n` octets. */
  async read(n: number): Promise<Buffer> {
    await this.until(() => this.buffered.length >= n);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  /** Resolves with everything up to and including `delimiter`. */
  async readUntil(delimiter: string): Promise<Buffer> {
    await this.until(() => this.buffered.includes(delimiter));
    return this.read(this.buffered.indexOf(delimiter) + delimiter.length);
  }

  /** Resolves with everything until the stream ends. */
  async readToEnd(): Promise<Buffer> {
    await this.until(() => this.ended).catch(() => undefined);
    return this.buffered;
  }

  /** Whether the peer closed (resolves once it has). */
  async closed(): Promise<boolean> {
    await this.until(() => this.ended).catch(() => undefined);
    return this.ended;
  }

  /** Stops reading and gives the stream back, unread octets first. */
  release(): Duplex {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onEnd);
    this.stream.pause();
    if (this.buffered.length > 0) this.stream.unshift(this.buffered);
    return this.stream;
  }
}

/** TLS with the test CA, SNI localhost, over a new TCP connection or over `socket`. */
export async function secure(socketOrPort: Duplex | number, alpn?: string[]): Promise<Duplex> {
  const base = { ca: getTestPki().caPem, servername: 'localhost', ...(alpn === undefined ? {} : { ALPNProtocols: alpn }) };
  const tls = typeof socketOrPort === 'number' ? tlsConnect({ ...base, host: '127.0.0.1', port: socketOrPort }) : tlsConnect({ ...base, socket: socketOrPort });
  tls.on('error', () => undefined);
  await once(tls, 'secureConnect');
  return tls;
}

/** A connection to 127.0.0.1:port, TLS when asked. */
export async function dial(port: number, tls: boolean): Promise<Duplex> {
  if (tls) return secure(port);
  const socket = netConnect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

/** What a CONNECT got back: status, header lines, and the stream (the tunnel on a 2xx). */
export interface ConnectReply {
  status: number;
  head: string;
  socket: Duplex;
}

/** Sends `CONNECT target HTTP/1.1` on `socket` and reads the answer's head. */
export async function httpConnect(socket: Duplex, target: string, headers: Array<[string, string]> = []): Promise<ConnectReply> {
  const lines = [`CONNECT ${target} HTTP/1.1`, `host: ${target}`, ...headers.map(([n, v]) => `${n}: ${v}`)];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  const reader = new Reader(socket);
  const head = (await reader.readUntil('\r\n\r\n')).toString('latin1');
  return { status: Number(head.split(' ')[1]), head, socket: reader.release() };
}

/** `proxy-authorization: Basic base64(user:pass)`. */
export function basic(username: string, password: string): [string, string] {
  return ['proxy-authorization', `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`];
}

/** An HTTP/2 session to the proxy: h2c prior knowledge or TLS ALPN h2. */
export async function h2Session(port: number, tls: boolean): Promise<ClientHttp2Session> {
  const session = h2connect(`${tls ? 'https' : 'http'}://127.0.0.1:${port}`, { ca: getTestPki().caPem, servername: 'localhost' });
  session.on('error', () => undefined);
  await once(session, 'connect');
  return session;
}

/** Opens a CONNECT stream; resolves with the response headers and the stream. */
export async function h2Connect(session: ClientHttp2Session, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; stream: ClientHttp2Stream }> {
  const stream = session.request({ ':method': 'CONNECT', ':authority': target, ...headers });
  stream.on('error', () => undefined);
  const [response] = (await once(stream, 'response')) as [IncomingHttpHeaders];
  return { status: Number(response[':status']), headers: response, stream };
}

/** The reply to a SOCKS5 request: REP and the bound port. */
export interface SocksAnswer {
  rep: number;
  boundPort: number;
  socket: Duplex;
}

/** SOCKS5 destination: a name (ATYP 03) or an address with its ATYP. */
export type SocksTarget = { host: string; port: number; atyp?: 1 | 3 | 4 };

/** RFC 1928 §5 address octets. */
export function socksAddress(target: SocksTarget): Buffer {
  const atyp = target.atyp ?? 3;
  const port = Buffer.alloc(2);
  port.writeUInt16BE(target.port);
  if (atyp === 1) return Buffer.concat([Buffer.from([1, ...target.host.split('.').map(Number)]), port]);
  if (atyp === 4) return Buffer.concat([Buffer.from([4]), ipv6(target.host), port]);
  return Buffer.concat([Buffer.from([3, target.host.length]), Buffer.from(target.host, 'latin1'), port]);
}

function ipv6(text: string): Buffer {
  const [head = '', tail = ''] = text.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const all = [...groups(head), ...new Array<number>(8 - groups(head).length - groups(tail).length).fill(0), ...groups(tail)];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(g, i * 2));
  return out;
}

/** Greeting, optional RFC 1929 auth and CONNECT; resolves with the reply (rejects on a closed socket). */
export async function socksConnect(socket: Duplex, target: SocksTarget, auth?: { username: string; password: string }): Promise<SocksAnswer> {
  const reader = new Reader(socket);
  socket.write(Buffer.from(auth === undefined ? [5, 1, 0] : [5, 1, 2]));
  const method = await reader.read(2);
  if (method[1] === 2 && auth !== undefined) {
    socket.write(Buffer.concat([Buffer.from([1, auth.username.length]), Buffer.from(auth.username), Buffer.from([auth.password.length]), Buffer.from(auth.password)]));
    const status = await reader.read(2);
    if (status[1] !== 0) throw new Error(`auth failed: ${status[1]}`);
  }
  socket.write(Buffer.concat([Buffer.from([5, 1, 0]), socksAddress(target)]));
  const head = await reader.read(4);
  const atyp = head[3];
  const rest = await reader.read(atyp === 4 ? 18 : atyp === 3 ? 1 + ((await reader.read(1))[0] ?? 0) + 1 : 6);
  return { rep: head[1] ?? -1, boundPort: rest.readUInt16BE(rest.length - 2), socket: reader.release() };
}

/** GET `path` over an existing stream (HTTP/1.1, `connection: close`); resolves status and body. */
export function getOver(socket: Duplex, path: string, host: string): Promise<{ status: number; body: string }> {
  // The HTTP client adds a 'data' listener, which does not resume a stream Reader.release() paused.
  socket.resume();
  return new Promise((resolve, reject) => {
    const req = httpRequest({ createConnection: () => socket as never, path, headers: { host, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes `data` and reads the same number of octets back (for the echo origin). */
export async function echoOver(socket: Duplex, data: Buffer): Promise<Buffer> {
  const reader = new Reader(socket);
  socket.write(data);
  const back = await reader.read(data.length);
  reader.release();
  return back;
}

import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A proxy on 127.0.0.1 that records what it was asked and forwarded. */
export interface TestProxy {
  readonly port: number;
  /** One line per tunnel request: `CONNECT host:port` or `SOCKS host:port`, with what came with it. */
  readonly seen: Array<{ target: string; headers: Record<string, string>; method?: number }>;
  close(): Promise<void>;
}

function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

async function listen(server: net.Server, sockets: Set<net.Socket>, seen: TestProxy['seen']): Promise<TestProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    seen,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Splits `host:port` / `[v6]:port`. */
function splitAuthority(authority: string): { host: string; port: number } {
  const at = authority.lastIndexOf(':');
  return { host: authority.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(authority.slice(at + 1)) };
}

/** Pipes `client` to a new TCP connection to host:port once it is up; calls `ready` first. */
function forward(client: net.Socket, host: string, port: number, head: Buffer, ready: (ok: boolean) => void): void {
  const upstream = net.connect(port, host);
  upstream.on('error', () => {
    ready(false);
    client.destroy();
  });
  upstream.once('connect', () => {
    ready(true);
    if (head.length > 0) upstream.write(head);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  client.on('close', () => upstream.destroy());
}

/**
 * An HTTP/1.1 CONNECT proxy (node:http `connect`). `/` requests get "proxy". A CONNECT to a host
 * named `deny.example` gets a 403 with a body, keeps the connection, and answers the next request
 * on it with a 200 "proxy"; with `auth`, a CONNECT without that `proxy-authorization` gets a 407.
 */
export async function startConnectProxy(opts: { auth?: string } = {}): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const server = http.createServer((_req, res) => res.end('proxy'));
  const sockets = track(server);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ target: `${req.method} ${req.url}`, headers: req.headers as Record<string, string> });
    const { host, port } = splitAuthority(req.url ?? '');
    if (opts.auth !== undefined && req.headers['proxy-authorization'] !== opts.auth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="t"\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    if (host === 'deny.example') {
      client.write('HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\n\r\ndenied');
      // node:http no longer parses this socket: answer the next request by hand.
      client.once('data', () => client.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nproxy'));
      return;
    }
    forward(client, host, port, head, (ok) => {
      if (ok) client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    });
  });
  return listen(server, sockets, seen);
}

/** Reads exactly `n` octets from a socket, buffering the rest for the next read. */
function reader(socket: net.Socket): { read(n: number): Promise<Buffer>; rest(): Buffer } {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  return {
    async read(n) {
      while (buffered.length < n) await new Promise<void>((resolve) => (wake = resolve));
      const out = buffered.subarray(0, n);
      buffered = buffered.subarray(n);
      return out;
    },
    rest() {
      socket.removeAllListeners('data');
      socket.pause();
      return buffered;
    },
  };
}

/**
 * A SOCKS5 server (RFC 1928 CONNECT; RFC 1929 username/password when `users` is given, else no
 * authentication). A CONNECT to `refuse.example` is answered REP X'02' (not allowed by ruleset).
 */
export async function startSocksServer(opts: { users?: Record<string, string> } = {}): Promise<TestProxy> {
  const seen: TestProxy['seen'] = [];
  const server = net.createServer((socket) => void serve(socket, opts.users, seen).catch(() => socket.destroy()));
  const sockets = track(server);
  return listen(server, sockets, seen);
}

async function serve(socket: net.Socket, users: Record<string, string> | undefined, seen: TestProxy['seen']): Promise<void> {
  const r = reader(socket);
  const [, count] = await r.read(2);
  const methods = [...(await r.read(count ?? 0))];
  const method = users === undefined ? 0 : 2;
  if (!methods.includes(method)) return void socket.end(Buffer.from([5, 0xff]));
  socket.write(Buffer.from([5, method]));
  const headers: Record<string, string> = {};
  if (method === 2) {
    const [, ulen] = await r.read(2);
    const user = (await r.read(ulen ?? 0)).toString();
    const [plen] = await r.read(1);
    const pass = (await r.read(plen ?? 0)).toString();
    headers.user = user;
    if (users?.[user] !== pass) return void socket.end(Buffer.from([1, 1]));
    socket.write(Buffer.from([1, 0]));
  }
  const [, , , atyp] = await r.read(4);
  const host = atyp === 1 ? [...(await r.read(4))].join('.')
    : atyp === 3 ? (await r.read((await r.read(1))[0] ?? 0)).toString()
      : (await r.read(16)).toString('hex').replace(/(.{4})(?!$)/g, '$1:');
  const port = (await r.read(2)).readUInt16BE(0);
  seen.push({ target: `SOCKS ${host}:${port}`, headers, method });
  const answer = (rep: number): Buffer => Buffer.from([5, rep, 0, 1, 127, 0, 0, 1, 0, 0]);
  if (host === 'refuse.example') return void socket.end(answer(2));
  forward(socket, host, port, r.rest(), (ok) => socket.write(answer(ok ? 0 : 5)));
}

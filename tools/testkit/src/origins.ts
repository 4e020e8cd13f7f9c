/**
 * Node test origins for the client's integration tests: an HTTP/1.1 origin with a fixed set of
 * routes (over TCP, TLS or a unix socket) that records every request, and a raw TCP/TLS origin
 * for scripted responses (smuggling shapes, garbage, partial responses).
 *
 * Every origin listens on 127.0.0.1 with a port picked at run time; `close()` destroys the live
 * sockets so a test ends promptly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { getTestPki } from './pki.js';

/** One request as the origin saw it. */
export interface RecordedRequest {
  method: string;
  /** The request target as sent (`/bytes?n=10`). */
  url: string;
  /** `'1.1'` or `'1.0'`. */
  httpVersion: string;
  /** Raw header pairs in wire order, names lowercased, duplicates kept. */
  headers: Array<[string, string]>;
  /** The request body; filled in when the body has been read completely. */
  body: Buffer;
}

/** A running HTTP(S) origin. */
export interface TestOrigin {
  port: number;
  host: '127.0.0.1';
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  url: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  /** Number of connections accepted so far. */
  connections: number;
  /** Destroys live sockets, stops listening, clears pending timers. */
  close(): Promise<void>;
}

/** Options of {@link startHttpOrigin}. */
export interface HttpOriginOptions {
  /** Serve HTTPS with the test PKI's `server` certificate (ALPN `http/1.1`). */
  tls?: boolean;
  /** Extra routes by path (without the query); they override the default routes. */
  routes?: Record<string, RequestListener>;
}

/** A running raw origin; see {@link startRawOrigin}. */
export interface RawOrigin {
  port: number;
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  url: string;
  /** Every accepted socket, in order (TLS sockets when `tls` is set). */
  sockets: Socket[];
  /** All bytes received on all sockets, concatenated in arrival order. */
  received(): Buffer;
  close(): Promise<void>;
}

/** The trailer sent by `/trailers` (the value Gun's test suite uses). */
const TRAILER_EXPIRES = 'Sun, 10 Dec 2017 19:44:38 GMT';
/** Write size of `/bytes`: 64 KiB, like a socket buffer. */
const BYTES_WRITE_SIZE = 64 * 1024;
/** The `/bytes` pattern modulus: a prime, so the pattern does not line up with powers of two. */
const PATTERN_MODULUS = 251;

let patternBase: Buffer | undefined;

/** BYTES_WRITE_SIZE + one period: any 64 KiB window of the pattern is a subarray of it. */
function patternWindow(offset: number, length: number): Buffer {
  if (patternBase === undefined) patternBase = patternBytes(BYTES_WRITE_SIZE + PATTERN_MODULUS);
  const start = offset % PATTERN_MODULUS;
  return patternBase.subarray(start, start + length);
}

/**
 * The deterministic byte pattern served by `/bytes`: byte `i` is `(offset + i) % 251`.
 * Use it to assert downloads: `expect(body.equals(patternBytes(n))).toBe(true)`.
 */
export function patternBytes(n: number, offset = 0): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = (offset + i) % PATTERN_MODULUS;
  return out;
}

interface RouteContext {
  query: URLSearchParams;
  timers: Set<NodeJS.Timeout>;
}

type Route = (req: IncomingMessage, res: ServerResponse, ctx: RouteContext) => void;

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const n = Number(query.get(name) ?? fallback);
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function readBody(req: IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => done(Buffer.concat(chunks)));
}

/** Writes `n` pattern bytes in 64 KiB writes, waiting for 'drain' when asked, then calls `done`. */
function writePattern(res: ServerResponse, n: number, done: () => void): void {
  let sent = 0;
  const pump = (): void => {
    while (sent < n) {
      const chunk = patternWindow(sent, Math.min(BYTES_WRITE_SIZE, n - sent));
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    done();
  };
  pump();
}

function rawHeaderPairs(req: IncomingMessage): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    pairs.push([(req.rawHeaders[i] ?? '').toLowerCase(), req.rawHeaders[i + 1] ?? '']);
  }
  return pairs;
}

const DEFAULT_ROUTES: Record<string, Route> = {
  '/hello': (_req, res) => sendText(res, 200, 'Hello world!'),
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/chunked': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('Hello ');
    res.write('chunked ');
    res.end('world!');
  },
  '/trailers': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', trailer: 'expires' });
    res.write('Trailers!');
    res.addTrailers({ expires: TRAILER_EXPIRES });
    res.end();
  },
  '/inform': (_req, res) => {
    res.writeEarlyHints({ link: '</style.css>; rel=preload' });
    sendText(res, 200, 'Hello');
  },
  '/echo': (req, res) => {
    readBody(req, (body) => {
      const type = req.headers['content-type'];
      res.writeHead(200, { 'content-length': body.length, ...(type === undefined ? {} : { 'content-type': type }) });
      res.end(body);
    });
  },
  '/bytes': (_req, res, { query }) => {
    const n = intParam(query, 'n', 0);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
    writePattern(res, n, () => res.end());
  },
  '/bytes-chunked': (_req, res, { query }) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    writePattern(res, intParam(query, 'n', 0), () => res.end());
  },
  '/drop': (req, res, { query }) => {
    const n = intParam(query, 'n', 0);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 2 * n });
    res.flushHeaders();
    // An empty socket write completes after every earlier write: destroy once all N are out.
    writePattern(res, n, () => req.socket.write(Buffer.alloc(0), () => req.socket.destroy()));
  },
  '/close': (_req, res) => sendText(res, 200, 'bye', { connection: 'close' }),
  '/delay': (_req, res, { query, timers }) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      sendText(res, 200, 'Hello');
    }, intParam(query, 'ms', 0));
    timers.add(timer);
  },
  '/headers': (req, res) => {
    const body = JSON.stringify(rawHeaderPairs(req));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  },
  '/status': (_req, res, { query }) => {
    const code = intParam(query, 'code', 200);
    sendText(res, code >= 200 && code <= 999 ? code : 200, `Status ${code}\n`);
  },
};

interface Tracker {
  requests: RecordedRequest[];
  connections: number;
  sockets: Set<Socket>;
  timers: Set<NodeJS.Timeout>;
}

/**
 * Records the request. The body is captured where the HTTP parser hands it over (`push`), so
 * routes may read it in any way (or not at all) and still see every byte.
 */
function record(req: IncomingMessage, tracker: Tracker): void {
  const entry: RecordedRequest = {
    method: req.method ?? '',
    url: req.url ?? '',
    httpVersion: req.httpVersion,
    headers: rawHeaderPairs(req),
    body: Buffer.alloc(0),
  };
  tracker.requests.push(entry);
  const chunks: Buffer[] = [];
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    else if (chunk === null) entry.body = Buffer.concat(chunks);
    return push(chunk, encoding);
  };
}

/** Installs recording, the routes and the 100-continue handler on an HTTP(S) server. */
function installRoutes(server: HttpServer, routes: Record<string, RequestListener> | undefined, tracker: Tracker): void {
  const dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    record(req, tracker);
    const url = new URL(req.url ?? '/', 'http://origin.invalid');
    const custom = routes?.[url.pathname];
    if (custom !== undefined) {
      custom(req, res);
      return;
    }
    const route = DEFAULT_ROUTES[url.pathname];
    if (route === undefined) sendText(res, 404, 'Not found');
    else route(req, res, { query: url.searchParams, timers: tracker.timers });
  };
  server.on('connection', (socket: Socket) => {
    tracker.connections += 1;
    tracker.sockets.add(socket);
    socket.on('close', () => tracker.sockets.delete(socket));
  });
  server.on('request', dispatch);
  // `expect: 100-continue`: answer 100 Continue, then serve the route (/echo reads and echoes).
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    res.writeContinue();
    dispatch(req, res);
  });
}

function listen(server: NetServer, target: { port: number; host: string } | { path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in target) server.listen(target.path, done);
    else server.listen(target.port, target.host, done);
  });
}

function closeServer(server: NetServer, sockets: Iterable<Socket>, timers: Set<NodeJS.Timeout>): Promise<void> {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function newTracker(): Tracker {
  return { requests: [], connections: 0, sockets: new Set(), timers: new Set() };
}

function makeHttpServer(tls: boolean): HttpServer {
  const common = { keepAlive: true, keepAliveTimeout: 30_000 };
  if (!tls) return createHttpServer(common);
  const { server } = getTestPki();
  return createHttpsServer({ ...common, key: server.keyPem, cert: server.certPem, ALPNProtocols: ['http/1.1'] });
}

function originOf(server: HttpServer, tracker: Tracker, port: number, url: string, cleanup: () => void = () => undefined): TestOrigin {
  return {
    port,
    host: '127.0.0.1',
    url,
    requests: tracker.requests,
    get connections() {
      return tracker.connections;
    },
    close: async () => {
      server.closeAllConnections();
      await closeServer(server, tracker.sockets, tracker.timers);
      cleanup();
    },
  };
}

/**
 * Starts an HTTP/1.1 origin (HTTPS with `tls: true`) on 127.0.0.1, keep-alive on. Routes:
 * `/hello` 200 "Hello world!" (content-length); `/empty` 204; `/chunked` 200 in three writes
 * (chunked); `/trailers` chunked "Trailers!" + trailer `expires`; `/inform` 103 Early Hints
 * (`link: </style.css>; rel=preload`) then 200 "Hello"; `/echo` echoes body and content-type;
 * `/bytes?n=N` N {@link patternBytes} with content-length, 64 KiB writes honouring backpressure;
 * `/bytes-chunked?n=N` the same, chunked; `/drop?n=N` announces 2N bytes, sends N, destroys the
 * socket; `/close` 200 "bye" + `connection: close`; `/delay?ms=N` "Hello" after N ms;
 * `/headers` JSON array of the raw request header pairs; `/status?code=N` status N; anything
 * else 404. A request with `expect: 100-continue` gets 100 Continue, then its route.
 */
export async function startHttpOrigin(opts: HttpOriginOptions = {}): Promise<TestOrigin> {
  const tls = opts.tls === true;
  const server = makeHttpServer(tls);
  const tracker = newTracker();
  installRoutes(server, opts.routes, tracker);
  await listen(server, { port: 0, host: '127.0.0.1' });
  const port = (server.address() as AddressInfo).port;
  return originOf(server, tracker, port, `${tls ? 'https' : 'http'}://127.0.0.1:${port}`);
}

/**
 * Starts the same origin as {@link startHttpOrigin} (plain HTTP) on a unix socket, by default
 * `origin.sock` in a fresh temp dir (removed by `close()`). `port` is 0 and `url` is
 * `http://localhost`: connect with `socketPath: origin.path`.
 */
export async function startUnixOrigin(path?: string): Promise<TestOrigin & { path: string }> {
  const dir = path === undefined ? mkdtempSync(join(tmpdir(), 'gun-unix-')) : undefined;
  const socketPath = path ?? join(dir ?? '', 'origin.sock');
  const server = makeHttpServer(false);
  const tracker = newTracker();
  installRoutes(server, undefined, tracker);
  await listen(server, { path: socketPath });
  const cleanup = (): void => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  return Object.assign(originOf(server, tracker, 0, 'http://localhost', cleanup), { path: socketPath });
}

/**
 * Starts a raw TCP origin (TLS with the PKI's `server` certificate when `tls` is set, ALPN
 * `http/1.1`) on 127.0.0.1 and calls `onConnection(socket, index)` for each connection: the test
 * scripts the bytes. Socket errors are swallowed (peers reset connections on purpose here).
 */
export async function startRawOrigin(
  onConnection: (socket: Socket, index: number) => void,
  opts: { tls?: boolean } = {},
): Promise<RawOrigin> {
  const tls = opts.tls === true;
  const sockets: Socket[] = [];
  const received: Buffer[] = [];
  const accept = (socket: Socket): void => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('data', (c: Buffer) => received.push(c));
    onConnection(socket, sockets.length - 1);
  };
  let server: NetServer;
  if (tls) {
    const { server: kc } = getTestPki();
    const tlsServer = createTlsServer({ key: kc.keyPem, cert: kc.certPem, ALPNProtocols: ['http/1.1'] }, accept);
    tlsServer.on('tlsClientError', () => undefined);
    server = tlsServer;
  } else {
    server = createNetServer(accept);
  }
  const all = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    all.add(socket);
    socket.on('close', () => all.delete(socket));
  });
  await listen(server, { port: 0, host: '127.0.0.1' });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    sockets,
    received: () => Buffer.concat(received),
    close: () => closeServer(server, [...all, ...sockets], new Set()),
  };
}

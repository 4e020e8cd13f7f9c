/**
 * An HTTP/2 test origin on node:http2 (h2c with prior knowledge, or TLS with ALPN `h2`) for the
 * client's integration tests, with routes that exercise what HTTP/1.1 cannot: server push,
 * RST_STREAM, GOAWAY, 103 before the response, trailers, and large downloads under flow control.
 */
import { constants, createSecureServer, createServer } from 'node:http2';
import type { Http2Server, Http2Session, IncomingHttpHeaders, ServerHttp2Stream, Settings } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { patternBytes } from './origins.js';
import { getTestPki } from './pki.js';

/** One request as the HTTP/2 origin saw it. */
export interface RecordedH2Request {
  readonly method: string;
  readonly path: string;
  /** Header fields in wire order, pseudo-header fields included. */
  readonly headers: Array<[string, string]>;
  /** Filled in when the request body has been read completely. */
  body: Buffer;
}

/** A running HTTP/2 origin. */
export interface Http2Origin {
  readonly port: number;
  /** `http://127.0.0.1:PORT` (h2c) or `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly requests: RecordedH2Request[];
  /** Sessions accepted so far, in order (for GOAWAY and settings from a test). */
  readonly sessions: Http2Session[];
  /** Destroys live sessions and stops listening. */
  close(): Promise<void>;
}

/** Options of {@link startHttp2Origin}. */
export interface Http2OriginOptions {
  /**
   * TLS with the test PKI's `server` certificate, ALPN `h2` only. (No HTTP/1.1 fallback: a
   * 'request' listener would turn on node's compatibility layer, which answers trailers itself.)
   */
  readonly tls?: boolean;
  /** The server's SETTINGS (node:http2 names: maxConcurrentStreams, initialWindowSize, ...). */
  readonly settings?: Settings;
  /** Extra routes by path (without the query); they override the default routes. */
  readonly routes?: Record<string, Http2Route>;
}

/** A route: answers one stream. */
export type Http2Route = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, query: URLSearchParams) => void;

/** Octets per write of `/bytes`, as a socket buffer. */
const WRITE_SIZE = 64 * 1024;

function text(stream: ServerHttp2Stream, status: number, body: string, headers: Record<string, string> = {}): void {
  stream.respond({ ':status': status, 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body), ...headers });
  stream.end(body);
}

function readBody(stream: ServerHttp2Stream, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(Buffer.concat(chunks)));
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const n = Number(query.get(name) ?? fallback);
  return Number.isSafeInteger(n) && n >= 0 ? n : fallback;
}

/** Writes `n` pattern octets in 64 KiB writes, waiting for 'drain' (flow control) when asked. */
function writePattern(stream: ServerHttp2Stream, n: number): void {
  const window = patternBytes(WRITE_SIZE + 251);
  let sent = 0;
  const pump = (): void => {
    while (sent < n) {
      const start = sent % 251;
      const chunk = window.subarray(start, start + Math.min(WRITE_SIZE, n - sent));
      sent += chunk.length;
      if (!stream.write(chunk)) {
        stream.once('drain', pump);
        return;
      }
    }
    stream.end();
  };
  pump();
}

const DEFAULT_ROUTES: Record<string, Http2Route> = {
  '/hello': (s) => text(s, 200, 'Hello world!'),
  '/echo': (s, h) => readBody(s, (body) => {
    s.respond({ ':status': 200, 'content-type': String(h['content-type'] ?? 'application/octet-stream'), 'content-length': body.length });
    s.end(body);
  }),
  '/bytes': (s, _h, q) => {
    const n = intParam(q, 'n', 0);
    s.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': n });
    writePattern(s, n);
  },
  '/trailers': (s) => {
    s.respond({ ':status': 200, 'content-type': 'text/plain' }, { waitForTrailers: true });
    s.once('wantTrailers', () => s.sendTrailers({ expires: 'Sun, 10 Dec 2017 19:44:38 GMT' }));
    s.end('Trailers!');
  },
  '/inform': (s) => {
    s.additionalHeaders({ ':status': 103, link: '</style.css>; rel=preload' });
    text(s, 200, 'Hello');
  },
  '/push': (s, h) => {
    const authority = String(h[':authority'] ?? '');
    if (!s.pushAllowed) return text(s, 200, 'Main');
    s.pushStream({ ':path': '/pushed.txt', ':authority': authority }, (err, pushed) => {
      if (err === null) text(pushed, 200, 'Pushed!');
      text(s, 200, 'Main');
    });
  },
  '/reset': (s) => s.close(constants.NGHTTP2_REFUSED_STREAM),
  '/goaway': (s) => {
    text(s, 200, 'Bye');
    s.session?.goaway(constants.NGHTTP2_NO_ERROR, s.id ?? 0);
  },
  '/delay': (s, _h, q) => {
    const timer = setTimeout(() => !s.destroyed && text(s, 200, 'Hello'), intParam(q, 'ms', 0));
    s.once('close', () => clearTimeout(timer));
  },
  '/headers': (s, h) => text(s, 200, JSON.stringify(pairs(h))),
  '/status': (s, _h, q) => text(s, intParam(q, 'code', 200), ''),
};

function pairs(headers: IncomingHttpHeaders): Array<[string, string]> {
  return Object.entries(headers).flatMap(([n, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [n, x]) : [[n, String(v)] as [string, string]]));
}

function makeServer(opts: Http2OriginOptions): Http2Server {
  const settings = opts.settings ?? {};
  if (opts.tls !== true) return createServer({ settings });
  const { server } = getTestPki();
  return createSecureServer({ key: server.keyPem, cert: server.certPem, settings });
}

/**
 * Starts an HTTP/2 origin on 127.0.0.1 (port picked at run time). Routes: `/hello` 200
 * "Hello world!"; `/echo` echoes the body and content-type; `/bytes?n=N` N pattern octets
 * ({@link patternBytes}) in 64 KiB writes under flow control; `/trailers` "Trailers!" then a
 * trailer `expires`; `/inform` 103 (`link`) then 200 "Hello"; `/push` pushes `/pushed.txt`
 * ("Pushed!") then answers "Main"; `/reset` RST_STREAM REFUSED_STREAM; `/goaway` "Bye" then GOAWAY
 * NO_ERROR with that stream as the last; `/delay?ms=N` "Hello" after N ms; `/headers` a JSON array
 * of the request's header fields; `/status?code=N`; anything else 404.
 */
export async function startHttp2Origin(opts: Http2OriginOptions = {}): Promise<Http2Origin> {
  const server = makeServer(opts);
  const requests: RecordedH2Request[] = [];
  const sessions: Http2Session[] = [];
  const routes = { ...DEFAULT_ROUTES, ...opts.routes };
  server.on('session', (session) => sessions.push(session));
  server.on('stream', (stream, headers) => {
    const url = new URL(String(headers[':path'] ?? '/'), 'http://origin');
    const request: RecordedH2Request = { method: String(headers[':method']), path: String(headers[':path']), headers: pairs(headers), body: Buffer.alloc(0) };
    requests.push(request);
    stream.on('error', () => undefined);
    const route = routes[url.pathname];
    if (route === undefined) text(stream, 404, 'Not found');
    else route(stream, headers, url.searchParams);
    if (!stream.readableEnded) readBody(stream, (body) => (request.body = body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `${opts.tls === true ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    sessions,
    close: () => new Promise<void>((resolve) => {
      for (const s of sessions) s.destroy();
      server.close(() => resolve());
    }),
  };
}

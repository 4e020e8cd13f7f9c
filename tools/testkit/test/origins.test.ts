import { once } from 'node:events';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions as HttpsRequestOptions } from 'node:https';
import { connect } from 'node:net';
import { getTestPki } from '../src/pki.js';
import { patternBytes, startHttpOrigin, startRawOrigin, startUnixOrigin, type TestOrigin } from '../src/origins.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  trailers: NodeJS.Dict<string>;
  informs: Array<{ status: number; headers: IncomingHttpHeaders }>;
}

function fetchNode(origin: { port: number }, path: string, opts: HttpsRequestOptions & { body?: string | Buffer; tls?: boolean } = {}): Promise<Reply> {
  const { body, tls, ...rest } = opts;
  return new Promise((resolve, reject) => {
    const informs: Reply['informs'] = [];
    const make = tls === true ? httpsRequest : httpRequest;
    const req = make({ host: '127.0.0.1', port: origin.port, path, ca: getTestPki().caPem, ...rest }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), trailers: res.trailers, informs }),
      );
    });
    req.on('information', (info) => informs.push({ status: info.statusCode, headers: info.headers }));
    req.on('error', reject);
    if (body !== undefined && req.getHeader('expect') !== undefined) {
      req.on('continue', () => req.end(body));
    } else {
      req.end(body);
    }
  });
}

/** Waits for a condition by checking it once per event-loop turn (bounded to about 2 s). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('startHttpOrigin', () => {
  let origin: TestOrigin;
  beforeAll(async () => {
    origin = await startHttpOrigin({
      routes: {
        '/custom': (_req, res) => res.end('custom'),
        '/hello-override': (_req, res) => res.end('override'),
      },
    });
  });
  afterAll(() => origin.close());

  it('listens on 127.0.0.1 with a run-time port', () => {
    expect(origin.host).toBe('127.0.0.1');
    expect(origin.port).toBeGreaterThan(0);
    expect(origin.url).toBe(`http://127.0.0.1:${origin.port}`);
  });

  it('/hello answers "Hello world!" with content-length and records the request', async () => {
    const before = origin.requests.length;
    const r = await fetchNode(origin, '/hello', { headers: ['Host', 'localhost', 'X-Custom', 'a', 'x-custom', 'b'] });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('12');
    expect(r.body.toString()).toBe('Hello world!');
    const rec = origin.requests[before];
    expect(rec).toMatchObject({ method: 'GET', url: '/hello', httpVersion: '1.1' });
    expect(rec?.headers.filter(([n]) => n === 'x-custom')).toEqual([
      ['x-custom', 'a'],
      ['x-custom', 'b'],
    ]);
  });

  it('/empty answers 204 without a body', async () => {
    const r = await fetchNode(origin, '/empty');
    expect(r.status).toBe(204);
    expect(r.body.length).toBe(0);
  });

  it('/chunked answers with chunked transfer-encoding', async () => {
    const r = await fetchNode(origin, '/chunked');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.body.toString()).toBe('Hello chunked world!');
  });

  it('/trailers sends the expires trailer', async () => {
    const r = await fetchNode(origin, '/trailers', { headers: { te: 'trailers' } });
    expect(r.headers['trailer']).toBe('expires');
    expect(r.body.toString()).toBe('Trailers!');
    expect(r.trailers).toEqual({ expires: 'Sun, 10 Dec 2017 19:44:38 GMT' });
  });

  it('/inform sends 103 Early Hints then 200', async () => {
    const r = await fetchNode(origin, '/inform');
    expect(r.informs).toEqual([{ status: 103, headers: { link: '</style.css>; rel=preload' } }]);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('Hello');
  });

  it('/echo echoes the body and content-type and records the body', async () => {
    const r = await fetchNode(origin, '/echo', { method: 'POST', headers: { 'content-type': 'text/x-test' }, body: 'ping pong' });
    expect(r.body.toString()).toBe('ping pong');
    expect(r.headers['content-type']).toBe('text/x-test');
    expect(r.headers['content-length']).toBe('9');
    expect(origin.requests.at(-1)?.body.toString()).toBe('ping pong');
  });

  it('records the body of a request whose route does not read it', async () => {
    await fetchNode(origin, '/hello', { method: 'POST', body: 'unread' });
    expect(origin.requests.at(-1)?.body.toString()).toBe('unread');
  });

  it('answers expect: 100-continue with 100 Continue and then echoes', async () => {
    const r = await fetchNode(origin, '/echo', { method: 'POST', headers: { expect: '100-continue', 'content-length': '5' }, body: 'abcde' });
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('abcde');
  });

  it('/bytes?n=N sends N pattern bytes with content-length', async () => {
    const n = 3 * 65536 + 17;
    const r = await fetchNode(origin, `/bytes?n=${n}`);
    expect(r.headers['content-length']).toBe(String(n));
    expect(r.body.equals(patternBytes(n))).toBe(true);
  });

  it('/bytes-chunked?n=N sends N pattern bytes chunked', async () => {
    const r = await fetchNode(origin, '/bytes-chunked?n=70000');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.body.equals(patternBytes(70000))).toBe(true);
  });

  it('/drop?n=N announces 2N bytes, sends N and closes the connection', async () => {
    const raw = connect(origin.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.write('GET /drop?n=1000 HTTP/1.1\r\nhost: x\r\n\r\n');
    await once(raw, 'close');
    const text = Buffer.concat(chunks);
    const split = text.indexOf('\r\n\r\n');
    expect(text.subarray(0, split).toString().toLowerCase()).toContain('content-length: 2000');
    expect(text.subarray(split + 4).equals(patternBytes(1000))).toBe(true);
  });

  it('/close answers "bye" with connection: close', async () => {
    const r = await fetchNode(origin, '/close', { agent: new Agent({ keepAlive: true }) });
    expect(r.headers['connection']).toBe('close');
    expect(r.body.toString()).toBe('bye');
  });

  it('/delay?ms=N answers after N ms', async () => {
    const start = Date.now();
    const r = await fetchNode(origin, '/delay?ms=50');
    expect(r.body.toString()).toBe('Hello');
    expect(Date.now() - start).toBeGreaterThanOrEqual(45);
  });

  it('/headers returns the raw request headers as JSON pairs', async () => {
    const r = await fetchNode(origin, '/headers', { headers: { 'X-One': '1', Accept: 'text/plain' } });
    const pairs = JSON.parse(r.body.toString()) as Array<[string, string]>;
    expect(pairs).toEqual(expect.arrayContaining([['x-one', '1'], ['accept', 'text/plain'], ['host', `127.0.0.1:${origin.port}`]]));
  });

  it('/status?code=N answers with that status', async () => {
    expect((await fetchNode(origin, '/status?code=418')).status).toBe(418);
    expect((await fetchNode(origin, '/status?code=503')).status).toBe(503);
  });

  it('answers 404 to unknown paths and serves custom routes', async () => {
    expect((await fetchNode(origin, '/nope')).status).toBe(404);
    expect((await fetchNode(origin, '/custom')).body.toString()).toBe('custom');
  });

  it('keeps connections alive and counts them', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = origin.connections;
    await fetchNode(origin, '/hello', { agent });
    await fetchNode(origin, '/hello', { agent });
    expect(origin.connections - before).toBe(1);
    agent.destroy();
  });

  it('lets a route override a default route', async () => {
    const o = await startHttpOrigin({ routes: { '/hello': (_req, res) => res.end('mine') } });
    try {
      expect((await fetchNode(o, '/hello')).body.toString()).toBe('mine');
    } finally {
      await o.close();
    }
  });
});

describe('startHttpOrigin with tls', () => {
  it('serves HTTPS with the test PKI server certificate', async () => {
    const origin = await startHttpOrigin({ tls: true });
    try {
      expect(origin.url).toBe(`https://127.0.0.1:${origin.port}`);
      const r = await fetchNode(origin, '/hello', { tls: true });
      expect(r.body.toString()).toBe('Hello world!');
      expect(origin.requests).toHaveLength(1);
    } finally {
      await origin.close();
    }
  });

  it('close() ends promptly with live keep-alive connections and pending delays', async () => {
    const origin = await startHttpOrigin({ tls: true });
    const agent = new HttpsAgent({ keepAlive: true });
    try {
      await fetchNode(origin, '/hello', { tls: true, agent });
      const pending = fetchNode(origin, '/delay?ms=60000', { tls: true, agent: false }).catch((e: NodeJS.ErrnoException) => e.code);
      await until(() => origin.requests.length === 2);
      const start = Date.now();
      await origin.close();
      expect(Date.now() - start).toBeLessThan(1000);
      expect(await pending).toBe('ECONNRESET');
    } finally {
      agent.destroy();
      await origin.close().catch(() => undefined);
    }
  });
});

describe('startUnixOrigin', () => {
  it('serves the same routes on a unix socket', async () => {
    const origin = await startUnixOrigin();
    try {
      const r = await fetchNode({ port: 0 }, '/hello', { socketPath: origin.path });
      expect(r.body.toString()).toBe('Hello world!');
      expect(origin.requests[0]?.url).toBe('/hello');
    } finally {
      await origin.close();
    }
  });
});

describe('startRawOrigin', () => {
  it('hands each connection to the script and records what it received', async () => {
    const origin = await startRawOrigin((socket, index) => {
      socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\ncontent-length: 1\r\nconnection: close\r\n\r\n${index}`));
    });
    try {
      const r1 = await fetchNode(origin, '/a', { agent: false });
      const r2 = await fetchNode(origin, '/b', { agent: false });
      expect([r1.body.toString(), r2.body.toString()]).toEqual(['0', '1']);
      expect(origin.sockets).toHaveLength(2);
      expect(origin.received().toString()).toMatch(/^GET \/a HTTP\/1\.1\r\n[\s\S]*GET \/b HTTP\/1\.1\r\n/);
    } finally {
      await origin.close();
    }
  });

  it('speaks TLS when asked and close() destroys live sockets', async () => {
    let arrived: () => void = () => undefined;
    const request = new Promise<void>((resolve) => (arrived = resolve));
    const origin = await startRawOrigin((socket) => socket.once('data', () => arrived()), { tls: true });
    const pending = fetchNode(origin, '/', { tls: true, servername: 'localhost' }).catch((e: NodeJS.ErrnoException) => e.code);
    await request;
    expect(origin.url).toBe(`https://127.0.0.1:${origin.port}`);
    expect(origin.received().toString()).toContain('GET / HTTP/1.1');
    await origin.close();
    expect(await pending).toBe('ECONNRESET');
  });
});

describe('patternBytes', () => {
  it('is byte i = (offset + i) % 251', () => {
    expect([...patternBytes(3, 250)]).toEqual([250, 0, 1]);
    expect(patternBytes(600).subarray(251, 254).equals(patternBytes(3))).toBe(true);
  });
});

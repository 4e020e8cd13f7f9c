import { once } from 'node:events';
import * as http2 from 'node:http2';
import { WebSocket } from 'ws';
import { getTestPki } from '../src/pki.js';
import { requireWsPeer, startHypercorn, startPythonWebsockets, wsPeerAvailable } from '../src/ws-peers.js';
import type { PythonWsPeer } from '../src/ws-peers.js';

async function echo(url: string, deflate: boolean, message: string | Buffer): Promise<{ ws: WebSocket; reply: Buffer; binary: boolean }> {
  const ws = new WebSocket(url, { perMessageDeflate: deflate ? { threshold: 0 } : false });
  await once(ws, 'open');
  ws.send(message);
  const [reply, binary] = (await once(ws, 'message')) as [Buffer, boolean];
  return { ws, reply, binary };
}

async function close(ws: WebSocket): Promise<number> {
  const closed = once(ws, 'close');
  ws.close(1000);
  return ((await closed) as [number])[0];
}

/** One GET over HTTP/2 and the server's settings; `authority` is http://... (h2c) or https://... (ALPN h2). */
async function h2Get(authority: string, path: string): Promise<{ body: string; settings: http2.Settings }> {
  const session = http2.connect(authority, { ca: getTestPki().caPem, servername: 'localhost' });
  const [settings] = (await once(session, 'remoteSettings')) as [http2.Settings];
  const req = session.request({ ':path': path });
  req.setEncoding('utf8');
  let body = '';
  req.on('data', (c: string) => (body += c));
  await once(req, 'end');
  session.close();
  return { body, settings };
}

describe('requireWsPeer', () => {
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  });

  it('is true for an installed module, and for a missing one throws in CI and warns elsewhere', () => {
    for (const name of ['websockets', 'hypercorn'] as const) {
      if (!wsPeerAvailable(name)) {
        process.env.CI = 'true';
        expect(() => requireWsPeer(name)).toThrow(/required in CI/);
        delete process.env.CI;
        const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
        expect(requireWsPeer(name)).toBe(false);
        expect(warn).toHaveBeenCalledWith(expect.stringContaining(name));
        warn.mockRestore();
      } else {
        expect(requireWsPeer(name)).toBe(true);
      }
    }
  });
});

(requireWsPeer('websockets') ? describe : describe.skip)('python3-websockets echo server', () => {
  let deflate: PythonWsPeer;
  let plain: PythonWsPeer;
  beforeAll(async () => {
    [deflate, plain] = await Promise.all([startPythonWebsockets(), startPythonWebsockets({ deflate: false })]);
  });
  afterAll(() => Promise.all([deflate.stop(), plain.stop()]));

  it('negotiates permessage-deflate by default and echoes text', async () => {
    const { ws, reply, binary } = await echo(`ws://127.0.0.1:${deflate.port}/`, true, 'hello python');
    expect(ws.extensions).toMatch(/^permessage-deflate/);
    expect([reply.toString(), binary]).toEqual(['hello python', false]);
    expect(await close(ws)).toBe(1000);
  });

  it('declines permessage-deflate with deflate: false and echoes binary', async () => {
    const { ws, reply, binary } = await echo(`ws://127.0.0.1:${plain.port}/`, true, Buffer.from([0, 1, 255]));
    expect(ws.extensions).toBe('');
    expect([[...reply], binary]).toEqual([[0, 1, 255], true]);
    await close(ws);
  });

  it('closes with 4000 on close-me', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${plain.port}/`);
    await once(ws, 'open');
    ws.send('close-me');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([4000, 'bye']);
  });

  it('stop() ends the process: the port refuses connections afterwards', async () => {
    const peer = await startPythonWebsockets();
    await peer.stop();
    const ws = new WebSocket(`ws://127.0.0.1:${peer.port}/`);
    const [error] = (await once(ws, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });
});

(requireWsPeer('hypercorn') ? describe : describe.skip)('hypercorn with the ASGI echo app', () => {
  let peer: PythonWsPeer;
  beforeAll(async () => {
    peer = await startHypercorn({ tls: true });
  });
  afterAll(() => peer.stop());

  it('echoes over an HTTP/1.1 upgrade at any path', async () => {
    expect(peer.tlsPort).toEqual(expect.any(Number));
    const { ws, reply } = await echo(`ws://127.0.0.1:${peer.port}/any/path`, false, 'via h1');
    expect(reply.toString()).toBe('via h1');
    await close(ws);
  });

  it('answers GETs over h2c with prior knowledge and advertises SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §3)', async () => {
    const { body, settings } = await h2Get(`http://127.0.0.1:${peer.port}`, '/x');
    expect(body).toBe('hello /x over 2');
    expect(settings.enableConnectProtocol).toBe(true);
  });

  it('answers GETs over TLS with ALPN h2 using the test PKI certificate', async () => {
    const { body, settings } = await h2Get(`https://localhost:${peer.tlsPort}`, '/tls');
    expect(body).toBe('hello /tls over 2');
    expect(settings.enableConnectProtocol).toBe(true);
  });

  it('runs without TLS: tlsPort is undefined', async () => {
    const plain = await startHypercorn();
    try {
      expect(plain.tlsPort).toBeUndefined();
      const { ws, reply } = await echo(`ws://127.0.0.1:${plain.port}/`, false, Buffer.from([7]));
      expect([...reply]).toEqual([7]);
      await close(ws);
    } finally {
      await plain.stop();
    }
  });
});

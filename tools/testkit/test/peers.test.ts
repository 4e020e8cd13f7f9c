import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { getTestPki } from '../src/pki.js';
import { peerAvailable, requirePeer, startNginx, type NginxPeer } from '../src/peers.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(tls: boolean, port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const make = tls ? httpsRequest : httpRequest;
    const req = make({ host: '127.0.0.1', port, path, headers, ca: getTestPki().caPem, servername: 'localhost', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('peer discovery', () => {
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  });

  it('finds installed binaries and reports missing ones', () => {
    const original = process.env.PATH;
    try {
      // Without PATH only /usr/sbin and /usr/bin are searched.
      process.env.PATH = '';
      for (const name of ['nginx', 'curl', 'wrk'] as const) {
        expect(peerAvailable(name)).toBe(existsSync(`/usr/sbin/${name}`) || existsSync(`/usr/bin/${name}`));
      }
    } finally {
      process.env.PATH = original;
    }
  });

  it('requirePeer throws in CI and warns elsewhere when a peer is missing', () => {
    const missing = (['nginx', 'nghttpd', 'h2load', 'wrk', 'curl'] as const).find((p) => !peerAvailable(p));
    if (missing === undefined) {
      expect(requirePeer('nginx')).toBe(true);
      return;
    }
    process.env.CI = 'true';
    expect(() => requirePeer(missing)).toThrow(/required in CI/);
    delete process.env.CI;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(requirePeer(missing)).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(missing));
    } finally {
      warn.mockRestore();
    }
  });
});

const describeNginx = requirePeer('nginx') ? describe : describe.skip;

describeNginx('startNginx', () => {
  let nginx: NginxPeer;
  const big = 'All work and no play makes Jack a dull boy.\n'.repeat(2000);

  beforeAll(async () => {
    nginx = await startNginx({ files: { 'big.txt': big, 'sub/data.bin': new Uint8Array([0, 1, 2, 255]) } });
  });
  afterAll(async () => {
    await nginx?.stop();
  });

  it('serves /hello.txt over HTTP/1.1', async () => {
    const r = await get(false, nginx.httpPort, '/hello.txt');
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('13');
    expect(r.body.toString()).toBe('Hello world!\n');
  });

  it('serves /hello.txt over HTTPS with the test PKI certificate', async () => {
    const r = await get(true, nginx.httpsPort, '/hello.txt');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('Hello world!\n');
  });

  it('serves given binary files from the document root', async () => {
    const r = await get(false, nginx.httpPort, '/sub/data.bin');
    expect([...r.body]).toEqual([0, 1, 2, 255]);
    expect(existsSync(`${nginx.root}/index.html`)).toBe(true);
  });

  it('answers accept-encoding: gzip on a .txt file with a chunked gzip body', async () => {
    const r = await get(false, nginx.httpPort, '/big.txt', { 'accept-encoding': 'gzip' });
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(r.headers['content-length']).toBeUndefined();
    expect(gunzipSync(r.body).toString()).toBe(big);
  });

  it('stop() ends nginx and removes its directory', async () => {
    const other = await startNginx();
    const root = other.root;
    await other.stop();
    expect(existsSync(root)).toBe(false);
    await expect(get(false, other.httpPort, '/hello.txt')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

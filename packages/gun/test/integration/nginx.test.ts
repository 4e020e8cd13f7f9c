import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { getTestPki, requirePeer, startNginx, writePkiFiles } from '@gunhttp/testkit';
import type { NginxPeer } from '@gunhttp/testkit';
import { open } from '../../src/index.js';
import type { Connection } from '../../src/index.js';
import { parseArgs } from '../../src/cli/args.js';
import { runCli } from '../../src/cli/run.js';

const hasNginx = requirePeer('nginx');
const describeNginx = hasNginx ? describe : describe.skip;

const big = Buffer.alloc(3 * 1024 * 1024 + 17);
for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 11)) & 0xff;
const textFile = 'gunhttp '.repeat(20000);

describeNginx('against nginx from Debian (PEERS.md)', () => {
  let nginx: NginxPeer;
  let conn: Connection | undefined;

  beforeAll(async () => {
    nginx = await startNginx({ files: { 'big.bin': big, 'page.txt': textFile } });
  });
  afterAll(() => nginx?.stop());
  afterEach(() => conn?.close());

  it('GETs a static file over HTTP/1.1 byte for byte', async () => {
    conn = open('127.0.0.1', nginx.httpPort, { retry: 0 });
    const ref = conn.get('/big.bin');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    const { body } = await conn.awaitBody(ref);
    expect(Buffer.from(body).equals(big)).toBe(true);
  });

  it('GETs over TLS with the test CA, keep-alive, several requests', async () => {
    conn = open('127.0.0.1', nginx.httpsPort, { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem } });
    for (let i = 0; i < 3; i++) {
      const ref = conn.get('/hello.txt');
      await conn.await(ref);
      expect(Buffer.from((await conn.awaitBody(ref)).body).toString()).toBe('Hello world!\n');
    }
  });

  it('decodes a chunked (gzip) response from nginx (RFC 9112 §7.1)', async () => {
    conn = open('127.0.0.1', nginx.httpPort, { retry: 0 });
    const ref = conn.get('/page.txt', [['accept-encoding', 'gzip']]);
    const res = await conn.await(ref);
    expect(res.type === 'response' && res.headers).toContainEqual(['transfer-encoding', 'chunked']);
    const { body } = await conn.awaitBody(ref);
    expect(gunzipSync(body).toString()).toBe(textFile);
  });

  it('pipelines 10 requests to nginx', async () => {
    conn = open('127.0.0.1', nginx.httpPort, { retry: 0 });
    const refs = Array.from({ length: 10 }, () => conn!.get('/hello.txt'));
    for (const ref of refs) {
      await conn.await(ref);
      expect(Buffer.from((await conn.awaitBody(ref)).body).toString()).toBe('Hello world!\n');
    }
  });

  it('`gun --cacert CA.pem https://127.0.0.1:PORT/FILE` fetches from nginx byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gun-cli-'));
    try {
      const { caFile } = writePkiFiles(dir);
      const out = join(dir, 'out.bin');
      const io = { stdout: new PassThrough(), stderr: new PassThrough() };
      const code = await runCli(parseArgs(['--cacert', caFile, '-o', out, `https://127.0.0.1:${nginx.httpsPort}/big.bin`]), io);
      expect(code).toBe(0);
      const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
      expect(digest(readFileSync(out))).toBe(digest(big));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('speaks HTTP/2 to nginx over TLS by ALPN: 100 concurrent streams and a large file (RFC 9113, RFC 7301)', async () => {
    conn = open('127.0.0.1', nginx.h2Port, { retry: 0, transport: 'tls', tlsOpts: { ca: getTestPki().caPem } });
    expect(await conn.awaitUp()).toBe('http2');
    const refs = Array.from({ length: 100 }, () => conn!.get('/hello.txt'));
    const bodies = await Promise.all(refs.map(async (ref) => {
      await conn!.await(ref);
      return Buffer.from((await conn!.awaitBody(ref)).body).toString();
    }));
    expect(new Set(bodies)).toEqual(new Set(['Hello world!\n']));
    const ref = conn.get('/big.bin');
    expect(await conn.await(ref)).toMatchObject({ type: 'response', status: 200 });
    expect(Buffer.from((await conn.awaitBody(ref)).body).equals(big)).toBe(true);
  });

  it('speaks HTTP/2 with prior knowledge to nginx (h2c) with a 64 KiB initial window', async () => {
    conn = open('127.0.0.1', nginx.h2cPort, { retry: 0, protocols: [{ http2: { initialConnectionWindowSize: 65535, initialStreamWindowSize: 65535 } }] });
    expect(await conn.awaitUp()).toBe('http2');
    const ref = conn.get('/big.bin');
    await conn.await(ref);
    expect(Buffer.from((await conn.awaitBody(ref)).body).equals(big)).toBe(true);
  });

  it('`gun --http2-prior-knowledge` fetches from nginx h2c byte for byte', async () => {
    const out: Buffer[] = [];
    const stdout = new PassThrough();
    stdout.on('data', (c: Buffer) => out.push(c));
    const code = await runCli(parseArgs(['--http2-prior-knowledge', `http://127.0.0.1:${nginx.h2cPort}/big.bin`]), { stdout, stderr: new PassThrough() });
    expect(code).toBe(0);
    expect(Buffer.concat(out).equals(big)).toBe(true);
  });
});

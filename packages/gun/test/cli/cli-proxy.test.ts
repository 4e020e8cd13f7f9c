import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConnectProxy, startH2ConnectProxy, startHttpOrigin, startSocks5Server, writePkiFiles } from '@gunhttp/testkit';
import type { TestOrigin, TestProxy } from '@gunhttp/testkit';
import { parseArgs } from '../../src/cli/args.js';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { parseProxy } from '../../src/cli/proxy.js';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../support/cli-io.js';
import type { CapturedIo } from '../support/cli-io.js';

async function run(argv: string[]): Promise<{ code: number; io: CapturedIo; message?: string }> {
  const io = captureIo();
  try {
    return { code: await runCli(parseArgs(argv), io), io };
  } catch (e) {
    return { code: (e as { exitCode: number }).exitCode, io, message: (e as Error).message };
  }
}

let origin: TestOrigin;
let tlsOrigin: TestOrigin;
let http: TestProxy;
let https: TestProxy;
let socks: TestProxy;
let h2: TestProxy;
let h2c: TestProxy;
let dir: string;
let caFile: string;
beforeAll(async () => {
  [origin, tlsOrigin, http, https, socks, h2, h2c] = await Promise.all([
    startHttpOrigin(), startHttpOrigin({ tls: true }), startConnectProxy(), startConnectProxy({ tls: true, auth: { username: 'me', password: 'p w' } }),
    startSocks5Server({ auth: { username: 'me', password: 'pw' } }), startH2ConnectProxy({ tls: true }), startH2ConnectProxy(),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'gun-cli-proxy-'));
  caFile = writePkiFiles(dir).caFile;
});
afterAll(async () => {
  await Promise.all([origin, tlsOrigin, http, https, socks, h2, h2c].map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('gun --proxy (curl -x; CONNECT is always used, as curl --proxytunnel)', () => {
  it('parses proxy URLs as curl: default ports, credentials, socks5 vs socks5h', () => {
    expect(parseProxy('http://p')).toMatchObject({ kind: 'http', port: 1080, tls: false });
    expect(parseProxy('https://u:p%20w@p')).toMatchObject({ kind: 'http', port: 443, tls: true, username: 'u', password: 'p w' });
    expect(parseProxy('socks5://[::1]:9')).toMatchObject({ kind: 'socks5', host: '::1', port: 9, remoteDns: false });
    expect(parseProxy('socks5h://h')).toMatchObject({ kind: 'socks5', remoteDns: true });
    expect(() => parseProxy('gopher://h')).toThrow(expect.objectContaining({ exitCode: ExitCodes.BAD_URL }));
    expect(parseProxy('https://p', true)).toMatchObject({ kind: 'http', http2: true });
    expect(parseProxy('socks5://p', true)).toMatchObject({ kind: 'socks5', http2: false });
  });

  it('--proxy-http2: an h2 proxy by ALPN, then an h2c one by prior knowledge, then a SOCKS5 hop inside both CONNECT streams', async () => {
    const socksUrl = socks.url.replace('socks5://', 'socks5h://me:pw@');
    const { code, io, message } = await run([`${tlsOrigin.url}/hello`, '-x', h2.url, '-x', h2c.url, '-x', socksUrl, '--proxy-http2', '--cacert', caFile, '--trace']);
    expect(message).toBeUndefined();
    expect(io.err()).not.toContain('ERR');
    expect(code).toBe(0);
    expect(io.out()).toBe('Hello world!');
    expect(h2.records.at(-1)?.headers.slice(0, 2)).toEqual([[':method', 'CONNECT'], [':authority', `127.0.0.1:${h2c.port}`]]);
    expect(h2c.records.at(-1)?.target).toBe(`127.0.0.1:${socks.port}`);
    expect(socks.records.at(-1)?.target).toBe(`127.0.0.1:${tlsOrigin.port}`);
    expect(io.err().split('\n').filter((l) => l.includes('originChanged'))).toHaveLength(3);
  });

  it('one HTTP proxy', async () => {
    const { code, io } = await run([`${origin.url}/hello`, '--proxy', http.url]);
    expect(code).toBe(0);
    expect(io.out()).toBe('Hello world!');
    expect(http.records.at(-1)?.target).toBe(`127.0.0.1:${origin.port}`);
  });

  it('a chain: https proxy with credentials → socks5h with credentials → https origin, traced per hop', async () => {
    const proxyUrl = https.url.replace('https://', 'https://me:p%20w@');
    const socksUrl = socks.url.replace('socks5://', 'socks5h://me:pw@');
    const { code, io } = await run([`${tlsOrigin.url}/hello`, '-x', proxyUrl, '-x', socksUrl, '--cacert', caFile, '--trace']);
    expect(io.err()).not.toContain('ERR');
    expect(code).toBe(0);
    expect(io.out()).toBe('Hello world!');
    expect(https.records.at(-1)?.target).toBe(`127.0.0.1:${socks.port}`);
    expect(socks.records.at(-1)).toMatchObject({ target: `127.0.0.1:${tlsOrigin.port}`, credentials: { username: 'me', password: 'pw' } });
    const hops = io.err().split('\n').filter((l) => l.includes('originChanged'));
    expect(hops).toHaveLength(2);
    expect(hops[0]).toContain(`type=connect originHost=127.0.0.1 originPort=${socks.port}`);
    expect(hops[1]).toContain(`type=socks5 originHost=127.0.0.1 originPort=${tlsOrigin.port}`);
  });

  it('a refused CONNECT exits 56 naming the proxy, as curl', async () => {
    const { code, message } = await run([`${origin.url}/hello`, '-x', https.url, '--cacert', caFile]);
    expect(code).toBe(ExitCodes.RECV);
    expect(message).toContain(`127.0.0.1:${https.port}`);
    expect(message).toContain('status 407');
  });

  it('a SOCKS5 authentication failure exits 97 (curl CURLE_PROXY)', async () => {
    const { code } = await run([`${origin.url}/hello`, '-x', socks.url.replace('socks5://', 'socks5://me:wrong@')]);
    expect(code).toBe(ExitCodes.PROXY);
  });
});

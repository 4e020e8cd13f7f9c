import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpOrigin, writePkiFiles } from '@gunhttp/testkit';
import type { TestOrigin } from '@gunhttp/testkit';
import { parseArgs } from '../../src/cli/args.js';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../support/cli-io.js';

const io = captureIo;

async function exitCode(argv: string[]): Promise<number> {
  try {
    return await runCli(parseArgs(argv), io());
  } catch (e) {
    return (e as { exitCode: number }).exitCode;
  }
}

let origin: TestOrigin;
let tlsOrigin: TestOrigin;
let dir: string;
let caFile: string;
beforeAll(async () => {
  origin = await startHttpOrigin();
  tlsOrigin = await startHttpOrigin({ tls: true });
  dir = mkdtempSync(join(tmpdir(), 'gun-cli-'));
  caFile = writePkiFiles(dir).caFile;
});
afterAll(async () => {
  await origin.close();
  await tlsOrigin.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gun command', () => {
  it('prints the body to stdout', async () => {
    const t = io();
    expect(await runCli(parseArgs([`${origin.url}/hello`]), t)).toBe(0);
    expect(t.out()).toBe('Hello world!');
  });

  it('-i prints the status and headers first', async () => {
    const t = io();
    await runCli(parseArgs(['-i', `${origin.url}/hello`]), t);
    expect(t.out()).toMatch(/^200\r\n(.+\r\n)+\r\nHello world!$/);
    expect(t.out()).toContain('content-length: 12\r\n');
  });

  it('-X, -H and -d send a POST with the form content-type', async () => {
    const t = io();
    await runCli(parseArgs(['-d', 'a=1&b=2', '-H', 'X-Test: yes', `${origin.url}/echo`]), t);
    expect(t.out()).toBe('a=1&b=2');
    const req = origin.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.headers).toContainEqual(['content-type', 'application/x-www-form-urlencoded']);
    expect(req.headers).toContainEqual(['x-test', 'yes']);
  });

  it('--trace prints the event timeline with timings on stderr', async () => {
    const t = io();
    await runCli(parseArgs(['--trace', `${origin.url}/hello`]), t);
    const lines = t.err().trim().split('\n');
    expect(lines[0]).toMatch(/^\[\s*\d+\.\d ms\] init/);
    expect(t.err()).toMatch(/domainLookupStart.*connectEnd.*requestStart.*responseHeaders status=200.*responseEnd/s);
  });

  it('-v prints the request and response heads', async () => {
    const t = io();
    await runCli(parseArgs(['-v', `${origin.url}/hello`]), t);
    expect(t.err()).toContain('> GET /hello');
    expect(t.err()).toContain('< 200');
  });

  it('--http1.0 sends HTTP/1.0', async () => {
    await runCli(parseArgs(['--http1.0', `${origin.url}/hello`]), io());
    expect(origin.requests.at(-1)!.httpVersion).toBe('1.0');
  });

  it('--cacert verifies an HTTPS origin; without it verification fails with 60', async () => {
    const t = io();
    expect(await runCli(parseArgs(['--cacert', caFile, `${tlsOrigin.url}/hello`]), t)).toBe(0);
    expect(t.out()).toBe('Hello world!');
    expect(await exitCode([`${tlsOrigin.url}/hello`])).toBe(ExitCodes.CERT);
    expect(await exitCode(['-k', `${tlsOrigin.url}/hello`])).toBe(0);
  });

  it('--fail exits 22 on an HTTP error status', async () => {
    expect(await exitCode(['-f', `${origin.url}/status?code=404`])).toBe(ExitCodes.HTTP_ERROR);
    expect(await exitCode([`${origin.url}/status?code=404`])).toBe(0);
  });

  describe('distinct exit codes', () => {
    let silent: Server;
    let silentPort: number;
    const held: Socket[] = [];
    beforeAll(async () => {
      silent = createServer((socket) => void held.push(socket));
      await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
      silentPort = (silent.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => {
      silent.close(() => r());
      for (const s of held) s.destroy();
    }));

    it('a bad URL exits 3', async () => {
      expect(await exitCode(['not a url'])).toBe(ExitCodes.BAD_URL);
      expect(await exitCode(['ftp://127.0.0.1/'])).toBe(ExitCodes.BAD_URL);
    });

    it('a DNS failure exits 6', async () => {
      expect(await exitCode(['http://no-such-host.invalid/'])).toBe(ExitCodes.DNS);
    });

    it('a refused connection exits 7', async () => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((r) => server.close(() => r()));
      expect(await exitCode([`http://127.0.0.1:${port}/`])).toBe(ExitCodes.CONNECT);
    });

    it('a TLS handshake that never finishes exits 28 with --connect-timeout', async () => {
      expect(await exitCode(['--connect-timeout', '200', `https://127.0.0.1:${silentPort}/`])).toBe(ExitCodes.TIMEOUT);
    });

    it('a response slower than --max-time exits 28', async () => {
      expect(await exitCode(['--max-time', '100', `${origin.url}/delay?ms=2000`])).toBe(ExitCodes.TIMEOUT);
    });

    it('a TLS failure that is not about the certificate exits 35', async () => {
      expect(await exitCode(['--cacert', caFile, `https://127.0.0.1:${origin.port}/`])).toBe(ExitCodes.TLS);
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttp2Origin, writePkiFiles } from '@gunhttp/testkit';
import type { Http2Origin } from '@gunhttp/testkit';
import { parseArgs } from '../../src/cli/args.js';
import { runCli } from '../../src/cli/run.js';
import { captureIo } from '../support/cli-io.js';

const io = captureIo;

let h2c: Http2Origin;
let h2: Http2Origin;
let dir: string;
let caFile: string;
beforeAll(async () => {
  [h2c, h2] = await Promise.all([startHttp2Origin(), startHttp2Origin({ tls: true })]);
  dir = mkdtempSync(join(tmpdir(), 'gun-cli-h2-'));
  caFile = writePkiFiles(dir).caFile;
});
afterAll(async () => {
  await Promise.all([h2c.close(), h2.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the gun command over HTTP/2 (curl option names)', () => {
  it('--http2-prior-knowledge speaks h2c to an http:// URL', async () => {
    const t = io();
    expect(await runCli(parseArgs(['--http2-prior-knowledge', `${h2c.url}/hello`]), t)).toBe(0);
    expect(t.out()).toBe('Hello world!');
    expect(h2c.requests.at(-1)).toMatchObject({ method: 'GET', path: '/hello' });
  });

  it('negotiates h2 by ALPN for https:// URLs by default and with --http2; --trace shows the protocol', async () => {
    for (const flags of [[], ['--http2']]) {
      const t = io();
      expect(await runCli(parseArgs([...flags, '--trace', '--cacert', caFile, `${h2.url}/hello`]), t)).toBe(0);
      expect(t.out()).toBe('Hello world!');
      expect(t.err()).toMatch(/tlsHandshakeEnd .*protocol=http2/);
    }
  });

  it('--trace shows server push', async () => {
    const t = io();
    expect(await runCli(parseArgs(['--http2-prior-knowledge', '--trace', `${h2c.url}/push`]), t)).toBe(0);
    expect(t.out()).toBe('Main');
    expect(t.err()).toContain('pushPromiseEnd');
  });

  it("--trace shows the server's SETTINGS and GOAWAY (RFC 9113 §6.5, §6.8)", async () => {
    const t = io();
    expect(await runCli(parseArgs(['--http2-prior-knowledge', '--trace', `${h2c.url}/goaway`]), t)).toBe(0);
    expect(t.out()).toBe('Bye');
    expect(t.err()).toMatch(/ms\] settings .*maxConcurrentStreams=/);
    expect(t.err()).toMatch(/ms\] goaway lastStreamId=1 errorCode=NO_ERROR/);
  });

  it('-i prints the HTTP/2 status and fields', async () => {
    const t = io();
    expect(await runCli(parseArgs(['-i', '--http2-prior-knowledge', `${h2c.url}/hello`]), t)).toBe(0);
    expect(t.out()).toMatch(/^200\r\ncontent-type: text\/plain\r\n/);
  });
});

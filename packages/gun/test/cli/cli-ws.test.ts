import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePkiFiles } from '@gunhttp/testkit';
import { parseArgs } from '../../src/cli/args.js';
import { ExitCodes } from '../../src/cli/exit-codes.js';
import { parseTarget, runCli } from '../../src/cli/run.js';
import { captureIo } from '../support/cli-io.js';
import type { CapturedIo } from '../support/cli-io.js';
import { startH2WsOrigin } from '../support/h2-ws-origin.js';
import type { H2WsOrigin } from '../support/h2-ws-origin.js';
import { startWsOrigin } from '../support/ws-origin.js';
import type { WsOrigin } from '../support/ws-origin.js';

/*
 * `gun ws://...` / `gun wss://...`: stdin lines go out as text messages, messages received are
 * printed (text on its own line, binary raw), the end of stdin closes (1000), the command exits 0
 * after the close handshake; a refused upgrade exits 22 as curl does.
 */

type Io = CapturedIo;
const io = captureIo;

async function run(argv: string[], t: Io): Promise<number> {
  try {
    return await runCli(parseArgs(argv), t);
  } catch (e) {
    return (e as { exitCode: number }).exitCode;
  }
}

let origin: WsOrigin;
let tlsOrigin: WsOrigin;
let h2Origin: H2WsOrigin;
let dir: string;
let caFile: string;
beforeAll(async () => {
  [origin, tlsOrigin, h2Origin] = await Promise.all([startWsOrigin(), startWsOrigin({ tls: true }), startH2WsOrigin(true, { enableConnectProtocol: true })]);
  dir = mkdtempSync(join(tmpdir(), 'gun-cli-ws-'));
  caFile = writePkiFiles(dir).caFile;
});
afterAll(async () => {
  await Promise.all([origin.close(), tlsOrigin.close(), h2Origin.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the gun command with ws:// and wss:// URLs', () => {
  it('parses ws and wss URLs (default ports 80 and 443)', () => {
    expect(parseTarget('ws://example.org/chat?x=1')).toEqual({ host: 'example.org', port: 80, tls: false, path: '/chat?x=1', websocket: true });
    expect(parseTarget('wss://example.org')).toEqual({ host: 'example.org', port: 443, tls: true, path: '/', websocket: true });
  });

  it('sends each stdin line as a text message, prints the echoes, and exits 0 after the close handshake', async () => {
    const t = io();
    t.stdin.end('hello\nworld ✓\n');
    expect(await run([`ws://127.0.0.1:${origin.port}/echo`], t)).toBe(ExitCodes.OK);
    expect(t.out()).toBe('hello\nworld ✓\n');
    expect(origin.upgrades.at(-1)?.url).toBe('/echo');
  });

  it('works over wss:// with --cacert and sends the -H headers on the upgrade', async () => {
    const t = io();
    t.stdin.end('secure\n');
    expect(await run(['--cacert', caFile, '-H', 'x-test: 1', `wss://localhost:${tlsOrigin.port}/echo`], t)).toBe(ExitCodes.OK);
    expect(t.out()).toBe('secure\n');
    expect(tlsOrigin.upgrades.at(-1)?.headers['x-test']).toBe('1');
  });

  it('prints binary messages as raw bytes', async () => {
    const t = io();
    t.stdin.end('bye\n');
    expect(await run([`ws://127.0.0.1:${origin.port}/greet-binary`], t)).toBe(ExitCodes.OK);
    expect(t.outBytes()).toEqual(Buffer.concat([Buffer.of(0, 1, 2, 255), Buffer.from('bye\n')]));
  });

  it('exits 0 when the server closes first, without waiting for stdin to end', async () => {
    const t = io();
    t.stdin.write('close-me\n');
    expect(await run([`ws://127.0.0.1:${origin.port}/echo`], t)).toBe(ExitCodes.OK);
    expect(t.out().length).toBe(0);
  });

  it('exits 22 when the server refuses the upgrade', async () => {
    const t = io();
    t.stdin.end();
    await expect(runCli(parseArgs([`ws://127.0.0.1:${origin.port}/deny`]), t)).rejects.toMatchObject({ exitCode: ExitCodes.HTTP_ERROR, message: expect.stringContaining('403') });
  });

  it('exits 7 when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = io();
    t.stdin.end();
    expect(await run([`ws://127.0.0.1:${port}/`], t)).toBe(ExitCodes.CONNECT);
  });

  it('--http2 over wss:// uses an extended CONNECT (RFC 8441) when the server allows it', async () => {
    const t = io();
    t.stdin.end('over h2\n');
    expect(await run(['--http2', '--trace', '--cacert', caFile, `wss://localhost:${h2Origin.port}/chat`], t)).toBe(ExitCodes.OK);
    expect(t.out()).toBe('over h2\n');
    expect(t.err()).toMatch(/requestStart .*method=CONNECT/);
  });
});

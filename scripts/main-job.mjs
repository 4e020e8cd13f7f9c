#!/usr/bin/env node
// The main job (`npm start`): starts an embedded HTTPS origin on 127.0.0.1 with a certificate
// from the test PKI, then runs the `gun` command against it and prints the response.
// `npm start -- [gun options] [URL]` passes options to gun; with a URL, no origin is started.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTestPki, writePkiFiles } from '@gunhttp/testkit';

const cli = fileURLToPath(new URL('../packages/gun/dist/cjs/cli/main.js', import.meta.url));
const args = process.argv.slice(2);
const hasUrl = args.some((a) => /^[a-z]+:\/\//i.test(a));

function run(argv) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...argv], { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (hasUrl) {
  process.exitCode = await run(args);
} else {
  const pki = getTestPki();
  const dir = mkdtempSync(join(tmpdir(), 'gunhttp-main-'));
  const { caFile } = writePkiFiles(dir);
  const server = createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (req, res) => {
    const body = `Hello from the embedded gunhttp origin!\nYou asked for ${req.method} ${req.url} over HTTP/${req.httpVersion} with TLS.\n`;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = `https://127.0.0.1:${port}/`;
  process.stderr.write(`main job: embedded HTTPS origin at ${url}\nmain job: gun --cacert ${caFile} -i ${args.join(' ')} ${url}\n\n`);
  try {
    process.exitCode = await run(['--cacert', caFile, '-i', ...args, url]);
  } finally {
    server.close();
    server.closeAllConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The HTTP/2 benchmark origin, run in its own process (forked by main.ts): node:http2 on
// 127.0.0.1:0 twice, cleartext with prior knowledge (h2c) and TLS (h2 by ALPN, the test PKI's
// server certificate). `/small` answers 13 bytes; `/big?n=N` answers N bytes in 1 MiB writes,
// waiting for `drain` whenever the stream's buffer is full. Sends `{ h2cPort, tlsPort, caPem }` to
// the parent once both listen, and exits when the parent goes away.
import { createSecureServer, createServer } from 'node:http2';
import type { IncomingHttpHeaders, ServerHttp2Stream, Settings } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { getTestPki } from '@gunhttp/testkit';


const CHUNK = 1024 * 1024;
const BIG = Buffer.alloc(CHUNK, 0x61);
const SMALL = Buffer.from('Hello, world!'); // 13 bytes

// h2load -m100 and the Node clients keep 100 streams open; 1000 leaves room. The windows only
// matter for request bodies (there are none) but are raised like the clients' for symmetry.
const SETTINGS: Settings = { maxConcurrentStreams: 1000, initialWindowSize: 8_000_000, maxFrameSize: 16_384 };
// Node's default of 10 MB of buffered session memory can refuse streams under the 1 MiB writes.
const MAX_SESSION_MEMORY_MB = 100;

function sendBig(stream: ServerHttp2Stream, total: number): void {
  stream.respond({ ':status': 200, 'content-type': 'application/octet-stream', 'content-length': total });
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, CHUNK);
      left -= n;
      if (!stream.write(n === CHUNK ? BIG : BIG.subarray(0, n))) {
        stream.once('drain', pump);
        return;
      }
    }
    stream.end();
  };
  pump();
}

function onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
  stream.on('error', () => undefined); // a client closing mid-download is not the server's failure
  const url = new URL(headers[':path'] ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/small') {
    stream.respond({ ':status': 200, 'content-type': 'text/plain', 'content-length': SMALL.length });
    stream.end(SMALL);
  } else if (url.pathname === '/big') {
    const n = Number(url.searchParams.get('n') ?? CHUNK);
    if (!Number.isSafeInteger(n) || n < 0) stream.respond({ ':status': 400, 'content-length': 0 }, { endStream: true });
    else sendBig(stream, n);
  } else {
    stream.respond({ ':status': 404, 'content-length': 0 }, { endStream: true });
  }
}

function listen(server: ReturnType<typeof createServer> | ReturnType<typeof createSecureServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function main(): Promise<void> {
  const pki = getTestPki();
  const h2c = createServer({ settings: SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB });
  const tls = createSecureServer({ settings: SETTINGS, maxSessionMemory: MAX_SESSION_MEMORY_MB, key: pki.server.keyPem, cert: pki.server.certPem, allowHTTP1: false });
  for (const server of [h2c, tls]) {
    server.on('stream', onStream);
    server.on('session', (session) => session.on('error', () => undefined));
  }
  const [h2cPort, tlsPort] = await Promise.all([listen(h2c), listen(tls)]);
  process.send?.({ h2cPort, tlsPort, caPem: pki.ca.certPem });
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`h2 server failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

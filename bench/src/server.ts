// The benchmark origin, run in its own process (forked by main.ts): node:http on 127.0.0.1:0 with
// keep-alive. `/small` answers 13 bytes; `/big?n=N` answers N bytes in 1 MiB writes, waiting for
// `drain` whenever the socket's buffer is full. Sends `{ port }` to the parent once listening and
// exits when the parent goes away.
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';

const CHUNK = 1024 * 1024;
const BIG = Buffer.alloc(CHUNK, 0x61);
const SMALL = Buffer.from('Hello, world!'); // 13 bytes

function sendBig(res: ServerResponse, total: number): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
  let left = total;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, CHUNK);
      left -= n;
      if (!res.write(n === CHUNK ? BIG : BIG.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

const server = createServer({ keepAliveTimeout: 120_000, noDelay: true }, (req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/small') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': SMALL.length });
    res.end(SMALL);
  } else if (url.pathname === '/big') {
    const n = Number(url.searchParams.get('n') ?? CHUNK);
    if (!Number.isSafeInteger(n) || n < 0) {
      res.writeHead(400, { 'content-length': 0 });
      res.end();
    } else sendBig(res, n);
  } else {
    res.writeHead(404, { 'content-length': 0 });
    res.end();
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The server has no TCP address.');
  process.send?.({ port: address.port });
});
process.on('disconnect', () => process.exit(0));

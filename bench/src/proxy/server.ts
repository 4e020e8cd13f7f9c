// A benchmark CONNECT proxy (RFC 9110 §9.3.6), run in its own process (forked by start.ts):
// node:http on 127.0.0.1:0 taking CONNECT only, dialling the target and piping bytes both ways,
// Nagle off on both sockets. No authentication, no records, nothing counted per chunk. Sends
// `{ port }` to the parent once listening and exits when the parent goes away.
// BENCH_PROXY_READ=64k keeps Node's default reads on the target's socket (see READ_BUFFER_SIZE).
//
//   CONNECT host:port ──> not host:port ──────────> 400, close
//          └── dial target ──fails──> 502, close
//                   └──connects──> 200 ──> bytes piped both ways until either side ends
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * Octets read from the target at once. Node reads at most 64 KiB into a fresh buffer per read;
 * reading up to 1 MiB into one reused buffer and passing on copies of what arrived relays a
 * download in 16 times fewer reads and writes. On a two-core machine the proxy is the third busy
 * process of a proxied download, so what it costs is taken from the client's and the origin's
 * share: the cheaper relay lets the ratio to the direct rate show the client's cost of the hop.
 */
const READ_BUFFER_SIZE = process.env['BENCH_PROXY_READ'] === '64k' ? 0 : 1024 * 1024;

/** Socket options that read into one reused buffer and emit copies as `data` events (pipe() follows them). */
function bigReads(): { onread?: { buffer: Uint8Array; callback: (this: Socket, n: number, buf: Uint8Array) => boolean } } {
  if (READ_BUFFER_SIZE === 0) return {};
  return {
    onread: {
      buffer: new Uint8Array(READ_BUFFER_SIZE),
      callback(this: Socket, n: number, buf: Uint8Array) {
        this.emit('data', Buffer.from(buf.subarray(0, n)));
        return true; // keep reading: pipe() pauses this socket itself when the client's is full
      },
    },
  };
}

const AUTHORITY = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/;

function refuse(socket: Socket, status: 400 | 502, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
}

/** Pipes both ways; pipe() ends each side after the other's end, an error destroys both. */
function join(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', (hadError) => (hadError ? b.destroy() : b.end()));
  b.on('close', (hadError) => (hadError ? a.destroy() : a.end()));
}

function onConnect(req: IncomingMessage, socket: Socket, head: Buffer): void {
  socket.on('error', () => undefined);
  const target = AUTHORITY.exec(req.url ?? '');
  const port = Number(target?.[2]);
  if (target === null || !(port > 0 && port < 65536)) {
    refuse(socket, 400, 'Bad Request');
    return;
  }
  const host = target[1]!.replace(/^\[|\]$/g, '');
  const upstream = connect({ host, port, noDelay: true, ...bigReads() });
  upstream.once('error', () => refuse(socket, 502, 'Bad Gateway'));
  upstream.once('connect', () => {
    upstream.removeAllListeners('error');
    socket.setNoDelay(true);
    socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
    if (head.length > 0) upstream.write(head);
    join(socket, upstream);
  });
}

const server = createServer({ noDelay: true }, (_req, res) => {
  res.writeHead(405, { allow: 'CONNECT', 'content-length': 0 });
  res.end();
});
server.on('connect', onConnect);

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no TCP address.');
  process.send?.({ port: address.port });
});
process.on('disconnect', () => process.exit(0));

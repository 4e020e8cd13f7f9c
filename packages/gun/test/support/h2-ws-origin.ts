import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { getTestPki } from '@gunhttp/testkit';
import { WebSocketConnection } from '@gunhttp/websocket';

/** A node:http2 server (h2c, or h2 over TLS) answering GETs and RFC 8441 Websockets. */
export interface H2WsOrigin {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The server side of each Websocket is our own codec in server role on the CONNECT stream (`ws`
 * cannot run on an HTTP/2 stream): it echoes messages and answers the close handshake.
 */
function websocketEcho(stream: http2.ServerHttp2Stream): void {
  stream.respond({ ':status': 200 });
  const server = new WebSocketConnection({ role: 'server' });
  stream.on('data', (chunk: Buffer) => {
    for (const e of server.receive(new Uint8Array(chunk))) if (e.type === 'text' || e.type === 'binary') server.send(e);
    for (const bytes of server.takeOutput()) stream.write(bytes);
    if (server.state === 'closed') stream.end();
  });
}

/** GETs get `hello <path>`; extended CONNECTs with `:protocol websocket` an echoing Websocket. */
export async function startH2WsOrigin(tls: boolean, settings: http2.Settings): Promise<H2WsOrigin> {
  const pki = getTestPki();
  const server = tls ? http2.createSecureServer({ key: pki.server.keyPem, cert: pki.server.certPem, settings }) : http2.createServer({ settings });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => {
    sessions.add(s);
    s.on('error', () => undefined);
  });
  server.on('stream', (stream, headers) => {
    stream.on('error', () => undefined);
    if (headers[':method'] === 'CONNECT' && headers[':protocol'] === 'websocket') return websocketEcho(stream);
    stream.respond({ ':status': 200 });
    stream.end(`hello ${String(headers[':path'])}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sessions) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

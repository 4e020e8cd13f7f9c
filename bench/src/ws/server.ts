// The Websocket benchmark origin, run in its own process (forked by origin.ts) so the client under
// test has its CPU measured alone: the npm `ws` WebSocketServer on 127.0.0.1:0, permessage-deflate
// off, echoing every message as it came (text as text, binary as binary). Sends `{ port }` to the
// parent once listening and exits when the parent goes away.
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

// The largest workload message is 1 MiB; 16 MiB leaves room without inviting runaway buffers.
const MAX_PAYLOAD = 16 * 1024 * 1024;

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: MAX_PAYLOAD });

wss.on('connection', (ws) => {
  ws.on('error', () => undefined); // a client dropping its connection is not the server's failure
  ws.on('message', (data, isBinary) => ws.send(data as Buffer, { binary: isBinary }));
});

wss.on('listening', () => process.send?.({ port: (wss.address() as AddressInfo).port }));
wss.on('error', (error) => {
  process.stderr.write(`ws server failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
process.on('disconnect', () => process.exit(0));

// Forks the Websocket echo origin (server.ts) and waits for its port.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface WsServer {
  readonly child: ChildProcess;
  readonly port: number;
}

export function startWsServer(): Promise<WsServer> {
  const child = fork(join(__dirname, 'server.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port?: unknown }) => (typeof m.port === 'number' ? resolve({ child, port: m.port }) : reject(new Error('The ws server sent no port.'))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The ws server exited with ${String(code)} before listening.`)));
  });
}

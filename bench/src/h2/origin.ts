// Forks the HTTP/2 origin (server.ts) and waits for its ports and CA certificate.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface H2Server {
  readonly child: ChildProcess;
  readonly h2cPort: number;
  readonly tlsPort: number;
  readonly caPem: string;
}

interface Ready {
  h2cPort?: unknown;
  tlsPort?: unknown;
  caPem?: unknown;
}

export function startH2Server(): Promise<H2Server> {
  const child = fork(join(__dirname, 'server.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: Ready) => {
      if (typeof m.h2cPort === 'number' && typeof m.tlsPort === 'number' && typeof m.caPem === 'string') resolve({ child, h2cPort: m.h2cPort, tlsPort: m.tlsPort, caPem: m.caPem });
      else reject(new Error('The h2 server sent no ports.'));
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The h2 server exited with ${String(code)} before listening.`)));
  });
}

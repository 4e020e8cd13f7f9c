// Forks the CONNECT proxy (server.ts), one process per hop, and waits for their ports.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ProxyProcess {
  readonly child: ChildProcess;
  readonly port: number;
}

function startProxy(): Promise<ProxyProcess> {
  const child = fork(join(__dirname, 'server.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port?: unknown }) => (typeof m.port === 'number' ? resolve({ child, port: m.port }) : reject(new Error('The proxy sent no port.'))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The proxy exited with ${String(code)} before listening.`)));
  });
}

/**
 * Starts the two hops of the chain, each its own process, so a two-hop relay spreads over two
 * processes as two real proxies would. On failure, the ones already started are killed.
 */
export async function startProxies(): Promise<readonly [ProxyProcess, ProxyProcess]> {
  const started = await Promise.allSettled([startProxy(), startProxy()]);
  const [first, second] = started;
  if (first?.status === 'fulfilled' && second?.status === 'fulfilled') return [first.value, second.value];
  for (const s of started) if (s.status === 'fulfilled') s.value.child.kill();
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  throw failed?.reason instanceof Error ? failed.reason : new Error('A proxy did not start.');
}

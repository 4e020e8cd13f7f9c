/**
 * What every Debian peer wrapper needs: finding the binary, picking a port, waiting for the
 * daemon to accept connections, and stopping it by pid.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/** How long a peer gets to accept connections on all its ports (ms). */
const START_TIMEOUT_MS = 5000;
/** How long a peer gets to exit after SIGTERM before SIGKILL (ms). */
const STOP_TIMEOUT_MS = 2000;
/** Pause between connection attempts while a peer starts (ms). */
const POLL_MS = 20;

/** Finds an executable in /usr/sbin, /usr/bin, then PATH. */
export function findBinary(name: string): string | undefined {
  const dirs = ['/usr/sbin', '/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== '')];
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** A port that was free a moment ago: bind port 0 on 127.0.0.1, read it, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** How a peer's start ended. */
export type StartOutcome = 'up' | 'exited' | 'timeout';

/** Polls the ports until all accept, the child exits, or {@link START_TIMEOUT_MS} passes. */
export async function waitUntilUp(child: ChildProcess, ports: readonly number[]): Promise<StartOutcome> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited(child)) return 'exited';
    const ready = await Promise.all(ports.map(accepts));
    if (ready.every((r) => r)) return exited(child) ? 'exited' : 'up';
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return 'timeout';
}

/** Stops a child by pid: SIGTERM, then SIGKILL after {@link STOP_TIMEOUT_MS}; resolves on exit. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const done = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
}

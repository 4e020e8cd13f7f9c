import { PassThrough } from 'node:stream';

/** Captured stdout and stderr for `runCli`, with what each received so far as text. */
export function captureIo(): { stdout: PassThrough; stderr: PassThrough; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (c: Buffer) => o.push(c));
  stderr.on('data', (c: Buffer) => e.push(c));
  return { stdout, stderr, out: () => Buffer.concat(o).toString(), err: () => Buffer.concat(e).toString() };
}

import { PassThrough } from 'node:stream';

/** What `captureIo` returns: the streams to give `runCli`, and what stdout and stderr got so far. */
export interface CapturedIo {
  readonly stdin: PassThrough;
  readonly stdout: PassThrough;
  readonly stderr: PassThrough;
  /** stdout as UTF-8 text. */
  out(): string;
  /** stdout as bytes (binary Websocket messages). */
  outBytes(): Buffer;
  err(): string;
}

/** Captured stdin, stdout and stderr for `runCli`. */
export function captureIo(): CapturedIo {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (c: Buffer) => o.push(c));
  stderr.on('data', (c: Buffer) => e.push(c));
  return { stdin, stdout, stderr, out: () => Buffer.concat(o).toString(), outBytes: () => Buffer.concat(o), err: () => Buffer.concat(e).toString() };
}

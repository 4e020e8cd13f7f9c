/**
 * A small server-side Websocket codec for tests, written independently of `@gunhttp/websocket`
 * so that each checks the other: it reads masked client frames (RFC 6455 §5.2, §5.3), builds
 * server frames with any opcode, flags, mask and length encoding (including the invalid ones a
 * conformance test needs), and runs permessage-deflate (RFC 7692 §7.2) on streaming node:zlib,
 * which keeps its sliding window between messages the way a real server does.
 *
 * Frame reader (one frame at a time, partial input waits):
 *
 *   header (2 octets) ──> extended length (0, 2 or 8) ──> mask key (0 or 4) ──> payload ──> frame
 *        ▲                                                                                  │
 *        └──────────────────────────────────────────────────────────────────────────────────┘
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { createDeflateRaw, createInflateRaw, constants as zlibConstants, type DeflateRaw, type InflateRaw } from 'node:zlib';
import { concatBytes } from '@gunhttp/core';

/** Opcodes (RFC 6455 §5.2; 3-7 and 0xB-0xF are reserved). */
export const WsOpcode = { CONTINUATION: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

/** A frame as a client sent it, payload unmasked. */
export interface ClientFrame {
  readonly fin: boolean;
  /** RSV1..RSV3 as a 3-bit number (RSV1 = 0b100). */
  readonly rsv: number;
  readonly opcode: number;
  /** The masking key, or `undefined` for an (invalid) unmasked client frame. */
  readonly maskKey: Uint8Array | undefined;
  readonly payload: Uint8Array;
}

/** How the payload length is written (RFC 6455 §5.2); `minimal` is the only valid choice. */
export type LengthEncoding = 'minimal' | '7bit' | '16bit' | '64bit';

/** A frame to build; everything a server could put in a header is settable. */
export interface ServerFrameSpec {
  readonly opcode: number;
  readonly payload?: Uint8Array | string;
  /** Default true. */
  readonly fin?: boolean;
  /** RSV bits as a 3-bit number; default 0. */
  readonly rsv?: number;
  /** A 4-octet key masks the frame (a server MUST NOT, RFC 6455 §5.1). */
  readonly mask?: Uint8Array;
  /** Default `minimal`; the others force a (possibly non-minimal) encoding. */
  readonly length?: LengthEncoding;
}

const encoder = new TextEncoder();
const toBytes = (p: Uint8Array | string | undefined): Uint8Array => (typeof p === 'string' ? encoder.encode(p) : (p ?? new Uint8Array(0)));

function lengthField(n: number, encoding: LengthEncoding): Uint8Array {
  const chosen = encoding !== 'minimal' ? encoding : n <= 125 ? '7bit' : n <= 0xffff ? '16bit' : '64bit';
  switch (chosen) {
    case '7bit':
      if (n > 125) throw new Error(`a 7-bit length holds at most 125, not ${n}`);
      return Uint8Array.of(n);
    case '16bit':
      if (n > 0xffff) throw new Error(`a 16-bit length holds at most 65535, not ${n}`);
      return Uint8Array.of(126, n >>> 8, n & 0xff);
    case '64bit': {
      const out = new Uint8Array(9);
      out[0] = 127;
      new DataView(out.buffer).setBigUint64(1, BigInt(n));
      return out;
    }
  }
}

/** XORs `data` with the 4-octet key, in place (RFC 6455 §5.3). */
export function maskBytes(data: Uint8Array, key: Uint8Array): Uint8Array {
  for (let i = 0; i < data.length; i++) data[i] = data[i]! ^ key[i & 3]!;
  return data;
}

/** Encodes one frame exactly as specified; valid or not is the caller's choice. */
export function buildServerFrame(spec: ServerFrameSpec): Uint8Array {
  const payload = toBytes(spec.payload).slice();
  const len = lengthField(payload.length, spec.length ?? 'minimal');
  const key = spec.mask;
  const out = new Uint8Array(1 + len.length + (key === undefined ? 0 : 4) + payload.length);
  out[0] = (spec.fin === false ? 0 : 0x80) | ((spec.rsv ?? 0) & 7) << 4 | (spec.opcode & 0x0f);
  if (key !== undefined) len[0] = len[0]! | 0x80;
  out.set(len, 1);
  let offset = 1 + len.length;
  if (key !== undefined) {
    out.set(key, offset);
    offset += 4;
    maskBytes(payload, key);
  }
  out.set(payload, offset);
  return out;
}

/** A close payload: the 2-octet code, then the reason (text is UTF-8 encoded, bytes are kept as given). */
export function closeFramePayload(code: number, reason: string | Uint8Array = ''): Uint8Array {
  const r = toBytes(reason);
  const out = new Uint8Array(2 + r.length);
  out[0] = code >>> 8;
  out[1] = code & 0xff;
  out.set(r, 2);
  return out;
}

/** Reads a close payload: `code` is undefined for an empty one (RFC 6455 §5.5.1). */
export function readClosePayload(payload: Uint8Array): { code: number | undefined; reason: Uint8Array } {
  if (payload.length < 2) return { code: undefined, reason: new Uint8Array(0) };
  return { code: (payload[0]! << 8) | payload[1]!, reason: payload.subarray(2) };
}

/** Incremental reader of client frames: push chunks, get the frames they complete. */
export class ClientFrameReader {
  private buffered: Uint8Array = new Uint8Array(0);

  /** Frames completed by `chunk`, in order; an incomplete frame waits for more bytes. */
  push(chunk: Uint8Array): ClientFrame[] {
    this.buffered = joinBytes([this.buffered, chunk]);
    const frames: ClientFrame[] = [];
    for (;;) {
      const frame = this.readFrame();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  /** Octets held back, waiting for the rest of a frame. */
  get pending(): number {
    return this.buffered.length;
  }

  private readFrame(): ClientFrame | undefined {
    const b = this.buffered;
    if (b.length < 2) return undefined;
    const masked = (b[1]! & 0x80) !== 0;
    const len7 = b[1]! & 0x7f;
    const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const headerLength = 2 + extra + (masked ? 4 : 0);
    if (b.length < headerLength) return undefined;
    const view = new DataView(b.buffer, b.byteOffset, b.length);
    const length = len7 === 126 ? view.getUint16(2) : len7 === 127 ? Number(view.getBigUint64(2)) : len7;
    if (b.length < headerLength + length) return undefined;
    const maskKey = masked ? b.slice(2 + extra, headerLength) : undefined;
    const payload = b.slice(headerLength, headerLength + length);
    if (maskKey !== undefined) maskBytes(payload, maskKey);
    this.buffered = b.subarray(headerLength + length);
    return { fin: (b[0]! & 0x80) !== 0, rsv: (b[0]! >> 4) & 7, opcode: b[0]! & 0x0f, maskKey, payload };
  }
}

/** Joins byte arrays into a new one (never one of `parts`, so it may be masked in place). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  return parts.length === 1 ? parts[0]!.slice() : concatBytes(parts);
}

/**
 * The frames of one data message, split into fragments of the given payload sizes (the last
 * fragment takes the rest; RFC 6455 §5.4); RSV1 on the first frame when `compressed` (RFC 7692 §6).
 */
export function messageFrameSpecs(opcode: number, payload: Uint8Array, opts: { sizes?: readonly number[]; compressed?: boolean } = {}): ServerFrameSpec[] {
  const frames: ServerFrameSpec[] = [];
  let offset = 0;
  for (const size of opts.sizes ?? []) {
    if (offset + size >= payload.length) break;
    frames.push({ opcode: frames.length === 0 ? opcode : WsOpcode.CONTINUATION, payload: payload.subarray(offset, offset + size), fin: false });
    offset += size;
  }
  frames.push({ opcode: frames.length === 0 ? opcode : WsOpcode.CONTINUATION, payload: payload.subarray(offset), fin: true });
  if (opts.compressed === true) frames[0] = { ...frames[0]!, rsv: 0b100 };
  return frames;
}

/** The 00 00 FF FF ending a sync flush (RFC 7692 §7.2.1). */
const TAIL = Uint8Array.of(0, 0, 0xff, 0xff);

/** Options of {@link ServerDeflate} and {@link ServerInflate}. */
export interface DeflateStreamOptions {
  /** A fresh window for every message (`*_no_context_takeover`, RFC 7692 §7.1.1). Default false. */
  readonly noContextTakeover?: boolean;
  /** LZ77 window, 9..15 (zlib cannot do 8); default 15. */
  readonly windowBits?: number;
}

/** Writes `input` to a zlib stream and resolves with what a sync flush produces. */
function syncFlush(stream: DeflateRaw | InflateRaw, input: readonly Uint8Array[]): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (c: Buffer): number => chunks.push(c);
    stream.on('data', onData);
    stream.once('error', reject);
    for (const part of input) stream.write(part);
    stream.flush(zlibConstants.Z_SYNC_FLUSH, () => {
      stream.off('data', onData);
      stream.off('error', reject);
      resolve(new Uint8Array(Buffer.concat(chunks)));
    });
  });
}

/** Base of the two directions: one zlib stream, renewed per message without context takeover. */
abstract class DeflateStream<S extends DeflateRaw | InflateRaw> {
  private stream: S | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(protected readonly opts: DeflateStreamOptions = {}) {}

  protected abstract create(): S;

  /** Runs one message through the stream; messages are processed in call order. */
  protected run(input: readonly Uint8Array[]): Promise<Uint8Array> {
    const result = this.queue.then(async () => {
      this.stream ??= this.create();
      const out = await syncFlush(this.stream, input);
      if (this.opts.noContextTakeover === true) this.close();
      return out;
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Frees the zlib stream. */
  close(): void {
    this.stream?.close();
    this.stream = undefined;
  }
}

/** The server's compressor (RFC 7692 §7.2.1): one message in, the payload without the tail out. */
export class ServerDeflate extends DeflateStream<DeflateRaw> {
  protected create(): DeflateRaw {
    return createDeflateRaw({ windowBits: this.opts.windowBits ?? 15 });
  }

  async compress(message: Uint8Array): Promise<Uint8Array> {
    const out = await this.run([message]);
    const n = out.length;
    const tailed = n >= 4 && out[n - 4] === 0 && out[n - 3] === 0 && out[n - 2] === 0xff && out[n - 1] === 0xff;
    return tailed ? out.subarray(0, n - 4) : out;
  }
}

/** The server's decompressor (RFC 7692 §7.2.2): a message's payload in, the tail appended. */
export class ServerInflate extends DeflateStream<InflateRaw> {
  protected create(): InflateRaw {
    return createInflateRaw({ windowBits: 15 });
  }

  decompress(payload: Uint8Array): Promise<Uint8Array> {
    return this.run([payload, TAIL]);
  }
}

/** One connection to a {@link startScriptedWsServer} server, handed to the script after the 101. */
export interface ScriptedWsSession {
  /** The upgrade request: its target and its headers (names lowercased, wire order). */
  readonly request: { readonly target: string; readonly headers: ReadonlyArray<readonly [string, string]> };
  /** Every frame the client sent, in arrival order (payloads unmasked). */
  readonly frames: ClientFrame[];
  /** Writes raw octets and/or frames, in order, in one write. */
  send(...parts: ReadonlyArray<Uint8Array | ServerFrameSpec>): void;
  /** The next frame not yet taken by this method, or `'eof'` once the client closed the connection. */
  nextFrame(): Promise<ClientFrame | 'eof'>;
  /** Resolves when the TCP connection has closed (either side). */
  readonly closed: Promise<void>;
  /** Closes our sending side (TCP FIN). */
  end(): void;
  /** Destroys the socket at once, with no close frame. */
  drop(): void;
}

/** A running scripted server. */
export interface ScriptedWsServer {
  readonly port: number;
  /** Sessions in accept order (a session appears once its 101 was written). */
  readonly sessions: ScriptedWsSession[];
  /** Scripts that threw or rejected, with the error. */
  readonly scriptErrors: unknown[];
  /** Destroys live sockets and stops listening. */
  close(): Promise<void>;
}

/** Options of {@link startScriptedWsServer}. */
export interface ScriptedWsServerOptions {
  /** Extra header lines of the 101 (`sec-websocket-extensions`, ...). */
  readonly responseHeaders?: ReadonlyArray<readonly [string, string]>;
}

/** RFC 6455 §1.3: the GUID appended to the key before hashing. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Request heads larger than this are refused: a test client sends a few hundred octets. */
const MAX_HEAD = 16 * 1024;

type SessionState =
  | { readonly kind: 'head'; buffered: Buffer }
  | { readonly kind: 'open'; readonly reader: ClientFrameReader }
  | { readonly kind: 'closed' };

function parseHead(head: string): { target: string; headers: Array<[string, string]> } {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const headers = lines.filter((l) => l !== '').map((l): [string, string] => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim()];
  });
  return { target: requestLine.split(' ')[1] ?? '', headers };
}

class Session implements ScriptedWsSession {
  readonly frames: ClientFrame[] = [];
  readonly closed: Promise<void>;
  request: { target: string; headers: Array<[string, string]> } = { target: '', headers: [] };
  private state: SessionState = { kind: 'head', buffered: Buffer.alloc(0) };
  private taken = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly socket: Socket, private readonly onOpen: (s: Session) => void, private readonly opts: ScriptedWsServerOptions) {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.closed = new Promise((resolve) => socket.once('close', () => {
      this.state = { kind: 'closed' };
      this.wake();
      resolve();
    }));
  }

  send(...parts: ReadonlyArray<Uint8Array | ServerFrameSpec>): void {
    if (this.socket.destroyed) return;
    this.socket.write(joinBytes(parts.map((p) => (p instanceof Uint8Array ? p : buildServerFrame(p)))));
  }

  async nextFrame(): Promise<ClientFrame | 'eof'> {
    for (;;) {
      const frame = this.frames[this.taken];
      if (frame !== undefined) {
        this.taken++;
        return frame;
      }
      if (this.state.kind === 'closed') return 'eof';
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  end(): void {
    this.socket.end();
  }

  drop(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private receive(chunk: Buffer): void {
    const s = this.state;
    switch (s.kind) {
      case 'head':
        return this.receiveHead(Buffer.concat([s.buffered, chunk]));
      case 'open':
        this.frames.push(...s.reader.push(chunk));
        return this.wake();
      case 'closed':
        return;
      default:
        return unreachable(s);
    }
  }

  /** Answers the upgrade (RFC 6455 §4.2.2) once the head is complete; what follows is frames. */
  private receiveHead(buffered: Buffer): void {
    const end = buffered.indexOf('\r\n\r\n');
    if (end === -1) {
      if (buffered.length > MAX_HEAD) this.socket.destroy();
      else this.state = { kind: 'head', buffered };
      return;
    }
    this.request = parseHead(buffered.subarray(0, end).toString('latin1'));
    const key = this.request.headers.find(([n]) => n === 'sec-websocket-key')?.[1];
    if (key === undefined) {
      this.socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    const extra = (this.opts.responseHeaders ?? []).map(([n, v]) => `${n}: ${v}\r\n`).join('');
    this.socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n${extra}\r\n`);
    const reader = new ClientFrameReader();
    this.state = { kind: 'open', reader };
    this.onOpen(this);
    const rest = buffered.subarray(end + 4);
    if (rest.length > 0) this.receive(rest);
  }
}

/** Exhaustiveness check of the session state switch. */
function unreachable(s: never): never {
  throw new Error(`unexpected session state ${JSON.stringify(s)}`);
}

/**
 * A node:net server on 127.0.0.1 (port picked at run time) that completes the HTTP/1.1
 * Websocket upgrade correctly (`sec-websocket-accept`, RFC 6455 §4.2.2) and then runs
 * `script(session, index)` for that connection: the script sends raw bytes or frames (valid or
 * not), reads what the client sent (`nextFrame`), and closes or drops the connection.
 */
export async function startScriptedWsServer(
  script: (session: ScriptedWsSession, index: number) => Promise<void> | void,
  opts: ScriptedWsServerOptions = {},
): Promise<ScriptedWsServer> {
  const sessions: ScriptedWsSession[] = [];
  const scriptErrors: unknown[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    new Session(socket, (session) => {
      sessions.push(session);
      Promise.resolve()
        .then(() => script(session, sessions.length - 1))
        .catch((error: unknown) => scriptErrors.push(error));
    }, opts);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    sessions,
    scriptErrors,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

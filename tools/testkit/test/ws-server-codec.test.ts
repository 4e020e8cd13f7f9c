import { once } from 'node:events';
import { constants as zlibConstants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { WebSocket } from 'ws';
import {
  buildServerFrame, ClientFrameReader, closeFramePayload, joinBytes, maskBytes, messageFrameSpecs, readClosePayload,
  ServerDeflate, ServerInflate, startScriptedWsServer, WsOpcode,
} from '../src/ws-server-codec.js';
import type { ClientFrame, ScriptedWsServer, ScriptedWsSession } from '../src/ws-server-codec.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const KEY = Uint8Array.of(1, 2, 3, 4);

describe('buildServerFrame (RFC 6455 §5.2)', () => {
  it.each([
    [0, 'minimal', [0x82, 0]],
    [125, 'minimal', [0x82, 125]],
    [126, 'minimal', [0x82, 126, 0, 126]],
    [65535, 'minimal', [0x82, 126, 0xff, 0xff]],
    [65536, 'minimal', [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
    [5, '16bit', [0x82, 126, 0, 5]],
    [5, '64bit', [0x82, 127, 0, 0, 0, 0, 0, 0, 0, 5]],
  ] as const)('a %i-octet payload with %s length encoding starts %j', (n, length, head) => {
    const frame = buildServerFrame({ opcode: WsOpcode.BINARY, payload: new Uint8Array(n).fill(7), length });
    expect([...frame.subarray(0, head.length)]).toEqual(head);
    expect(frame.length).toBe(head.length + n);
    expect(frame.subarray(head.length).every((b) => b === 7)).toBe(true);
  });

  it('sets FIN, RSV bits and the opcode as told, and masks when given a key', () => {
    const frame = buildServerFrame({ opcode: 0x3, fin: false, rsv: 0b101, payload: 'ab', mask: KEY });
    expect([...frame]).toEqual([0x53, 0x82, 1, 2, 3, 4, 0x61 ^ 1, 0x62 ^ 2]);
  });

  it('refuses a 7-bit length above 125', () => {
    expect(() => buildServerFrame({ opcode: WsOpcode.TEXT, payload: new Uint8Array(126), length: '7bit' })).toThrow(/at most 125/);
  });

  it('builds close payloads and reads them back, reasons as bytes', () => {
    expect([...closeFramePayload(1002, 'x')]).toEqual([0x03, 0xea, 0x78]);
    expect(readClosePayload(closeFramePayload(4000, Uint8Array.of(0xff)))).toEqual({ code: 4000, reason: Uint8Array.of(0xff) });
    expect(readClosePayload(new Uint8Array(0)).code).toBeUndefined();
  });

  it('splits a message into fragments, continuation after the first, FIN on the last, RSV1 on the first when compressed', () => {
    const specs = messageFrameSpecs(WsOpcode.TEXT, enc('abcdefg'), { sizes: [2, 3, 10], compressed: true });
    expect(specs.map((s) => [s.opcode, s.fin, s.rsv ?? 0, new TextDecoder().decode(s.payload as Uint8Array)])).toEqual([
      [1, false, 4, 'ab'],
      [0, false, 0, 'cde'],
      [0, true, 0, 'fg'],
    ]);
    expect(messageFrameSpecs(WsOpcode.BINARY, new Uint8Array(0))).toEqual([{ opcode: 2, payload: new Uint8Array(0), fin: true }]);
  });
});

describe('ClientFrameReader (RFC 6455 §5.2, §5.3)', () => {
  const frames = [
    buildServerFrame({ opcode: WsOpcode.TEXT, payload: 'hello', mask: KEY }),
    buildServerFrame({ opcode: WsOpcode.BINARY, payload: new Uint8Array(300).fill(9), mask: KEY, fin: false }),
    buildServerFrame({ opcode: WsOpcode.CONTINUATION, payload: new Uint8Array(70000).fill(1), mask: KEY }),
    buildServerFrame({ opcode: WsOpcode.PING, payload: 'unmasked' }),
  ];
  const wire = joinBytes(frames);

  function check(got: ClientFrame[]): void {
    expect(got.map((f) => [f.opcode, f.fin, f.payload.length, f.maskKey === undefined])).toEqual([
      [1, true, 5, false],
      [2, false, 300, false],
      [0, true, 70000, false],
      [9, true, 8, true],
    ]);
    expect(new TextDecoder().decode(got[0]!.payload)).toBe('hello');
    expect(got[2]!.payload.every((b) => b === 1)).toBe(true);
  }

  it('reads whole input', () => {
    check(new ClientFrameReader().push(wire));
  });

  it('reads input split at every 997 octets and byte by byte over the headers', () => {
    const reader = new ClientFrameReader();
    const got: ClientFrame[] = [];
    for (let i = 0; i < 20; i++) got.push(...reader.push(wire.subarray(i, i + 1)));
    for (let i = 20; i < wire.length; i += 997) got.push(...reader.push(wire.subarray(i, Math.min(wire.length, i + 997))));
    check(got);
    expect(reader.pending).toBe(0);
  });

  it('unmasking is its own inverse', () => {
    const data = enc('round trip');
    expect(maskBytes(maskBytes(data.slice(), KEY), KEY)).toEqual(data);
  });
});

describe('permessage-deflate on streaming zlib (RFC 7692 §7.2)', () => {
  /** A one-shot inflate of a payload with the tail put back (RFC 7692 §7.2.2). */
  const inflateTailed = (payload: Uint8Array): Uint8Array =>
    new Uint8Array(inflateRawSync(joinBytes([payload, Uint8Array.of(0, 0, 0xff, 0xff)]), { finishFlush: zlibConstants.Z_SYNC_FLUSH }));

  it('compresses without the 00 00 FF FF tail, and the output inflates with it appended', async () => {
    const deflate = new ServerDeflate();
    const message = enc('compress me '.repeat(100));
    const payload = await deflate.compress(message);
    expect([...payload.subarray(-4)]).not.toEqual([0, 0, 0xff, 0xff]);
    expect(inflateTailed(payload)).toEqual(message);
    deflate.close();
  });

  it('keeps the window between messages (context takeover): the repeat is much smaller and inflates in the same stream', async () => {
    const deflate = new ServerDeflate();
    const inflate = new ServerInflate();
    const message = enc(Array.from({ length: 300 }, (_, i) => `line ${i * 7919}`).join('\n'));
    const first = await deflate.compress(message);
    const second = await deflate.compress(message);
    expect(second.length).toBeLessThan(first.length / 4);
    expect(await inflate.decompress(first)).toEqual(message);
    expect(await inflate.decompress(second)).toEqual(message);
    deflate.close();
    inflate.close();
  });

  it('starts each message afresh with noContextTakeover: each payload inflates alone', async () => {
    const deflate = new ServerDeflate({ noContextTakeover: true, windowBits: 9 });
    const message = enc('again and again '.repeat(50));
    const payloads = [await deflate.compress(message), await deflate.compress(message)];
    expect(payloads[1]).toEqual(payloads[0]);
    for (const p of payloads) expect(inflateTailed(p)).toEqual(message);
  });

  it('inflates what a one-shot deflater produced', async () => {
    const message = enc('from a sync deflater');
    const raw = deflateRawSync(message, { finishFlush: 2 });
    const inflate = new ServerInflate({ noContextTakeover: true });
    expect(await inflate.decompress(new Uint8Array(raw))).toEqual(message);
  });
});

describe('startScriptedWsServer, checked with the npm ws client', () => {
  let server: ScriptedWsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function client(port: number, options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/path?q=1`, { perMessageDeflate: false, ...options });
    ws.on('error', () => undefined);
    await once(ws, 'open');
    return ws;
  }

  it('answers the upgrade (a correct sec-websocket-accept, or ws would refuse), records the request and the client frames', async () => {
    let session: ScriptedWsSession | undefined;
    server = await startScriptedWsServer(async (s) => {
      session = s;
      const f = await s.nextFrame();
      if (f === 'eof') throw new Error('eof');
      s.send({ opcode: WsOpcode.TEXT, payload: `echo ${new TextDecoder().decode(f.payload)}` });
    });
    const ws = await client(server.port);
    ws.send('hi');
    const [data] = (await once(ws, 'message')) as [Buffer];
    expect(data.toString()).toBe('echo hi');
    expect(session?.request.target).toBe('/path?q=1');
    expect(session?.request.headers).toContainEqual(['upgrade', 'websocket']);
    expect(session?.frames[0]).toMatchObject({ fin: true, rsv: 0, opcode: WsOpcode.TEXT });
    expect(session?.frames[0]?.maskKey).toHaveLength(4);
    ws.close(1000);
    expect(await session?.nextFrame()).toMatchObject({ opcode: WsOpcode.CLOSE });
    expect(readClosePayload(session!.frames[1]!.payload).code).toBe(1000);
    expect(server.scriptErrors).toEqual([]);
  });

  it('sends a fragmented message and raw bytes as scripted; ws fails the connection with 1002 on a masked server frame', async () => {
    server = await startScriptedWsServer(async (s) => {
      s.send(...messageFrameSpecs(WsOpcode.TEXT, enc('fragmented'), { sizes: [3, 3] }));
      s.send(buildServerFrame({ opcode: WsOpcode.TEXT, payload: 'masked', mask: KEY }));
      await s.nextFrame();
      s.end();
    });
    // The frames may come with the 101: listen before the open event.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/`, { perMessageDeflate: false });
    const messages: string[] = [];
    ws.on('message', (d: Buffer) => messages.push(d.toString()));
    const errors: Error[] = [];
    ws.on('error', (e) => errors.push(e));
    await new Promise((resolve) => ws.on('close', resolve));
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/MASK must be clear/)]);
    expect(messages).toEqual(['fragmented']);
    const sent = server.sessions[0]!;
    expect(sent.frames.map((f) => [f.opcode, readClosePayload(f.payload).code])).toEqual([[WsOpcode.CLOSE, 1002]]);
  });

  it('talks permessage-deflate with ws when the 101 says so, both ways, with context takeover', async () => {
    const inflate = new ServerInflate();
    const deflate = new ServerDeflate();
    server = await startScriptedWsServer(async (s) => {
      for (let i = 0; i < 2; i++) {
        const f = await s.nextFrame();
        if (f === 'eof') return;
        const text = await inflate.decompress(f.payload);
        s.send(...messageFrameSpecs(WsOpcode.TEXT, await deflate.compress(text), { sizes: [5], compressed: true }));
      }
    }, { responseHeaders: [['sec-websocket-extensions', 'permessage-deflate']] });
    const ws = await client(server.port, { perMessageDeflate: { threshold: 0 } });
    const texts: string[] = [];
    const two = new Promise<void>((resolve) => ws.on('message', (d: Buffer) => texts.push(d.toString()) === 2 && resolve()));
    const message = 'deflate me '.repeat(200);
    ws.send(message);
    ws.send(message);
    await two;
    expect(texts).toEqual([message, message]);
    const frames = server.sessions[0]!.frames;
    expect(frames.map((f) => f.rsv)).toEqual([0b100, 0b100]);
    expect(frames[1]!.payload.length).toBeLessThan(frames[0]!.payload.length);
    ws.terminate();
    inflate.close();
    deflate.close();
  });

  it('records the end of the connection: nextFrame gives eof once the client is gone', async () => {
    server = await startScriptedWsServer(() => undefined);
    const ws = await client(server.port);
    ws.terminate();
    const s = server.sessions[0]!;
    await s.closed;
    expect(await s.nextFrame()).toBe('eof');
  });

  it('answers 400 to a request without sec-websocket-key, and records script errors', async () => {
    server = await startScriptedWsServer(() => {
      throw new Error('script failed');
    });
    const { connect } = await import('node:net');
    const socket = connect(server.port, '127.0.0.1');
    socket.end('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    await once(socket, 'close');
    expect(Buffer.concat(chunks).toString()).toMatch(/^HTTP\/1.1 400/);
    // The script runs (and throws) as the 101 is written, before the client can see it.
    const ws = await client(server.port);
    expect(server.scriptErrors).toEqual([new Error('script failed')]);
    ws.terminate();
  });
});

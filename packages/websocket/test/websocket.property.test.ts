import fc from 'fast-check';
import { isValidUtf8, Utf8Validator, WebSocketConnection } from '../src/index.js';
import type { WsEvent } from '../src/index.js';
import { client, deflateClient, deflateServer, server } from './support/ws.js';

const fatal = new TextDecoder('utf-8', { fatal: true });
function decodes(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const makers: Array<[string, () => WebSocketConnection]> = [
  ['client', () => client()],
  ['server', () => server()],
  ['deflate client', () => deflateClient()],
  ['fragment-delivering client', () => client({ deliverFragments: true, maxMessageSize: 1000 })],
];

describe('properties', () => {
  it.each(makers)('arbitrary chunks never make a %s throw; an error is always the last event', (_name, make) => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), fc.boolean(), (chunks, eof) => {
      const ws = make();
      const events: WsEvent[] = [];
      for (const c of chunks) events.push(...ws.receive(c));
      if (eof) events.push(...ws.receiveEof());
      const firstError = events.findIndex((e) => e.type === 'error');
      expect(firstError === -1 || firstError === events.length - 1).toBe(true);
    }), { numRuns: 300 });
  });

  const frameArb = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }).map((data) => ({ type: 'text' as const, data })),
    fc.uint8Array({ maxLength: 70000 }).map((data) => ({ type: 'binary' as const, data })),
    fc.uint8Array({ maxLength: 125 }).map((data) => ({ type: 'ping' as const, data })),
    fc.uint8Array({ maxLength: 125 }).map((data) => ({ type: 'pong' as const, data })),
  );

  it.each([
    ['client → server', () => client(), () => server()],
    ['server → client', () => server(), () => client()],
    ['client → server with deflate', () => deflateClient(), () => deflateServer()],
    ['server → client with deflate', () => deflateServer(), () => deflateClient()],
  ])('frames round-trip %s', (_name, makeSender, makeReceiver) => {
    fc.assert(fc.property(fc.array(frameArb, { maxLength: 5 }), fc.integer({ min: 1, max: 5000 }), (frames, cut) => {
      const sender = makeSender();
      const receiver = makeReceiver();
      for (const f of frames) sender.send(f);
      const wire = sender.takeOutput();
      const all = new Uint8Array(wire.reduce((n, w) => n + w.length, 0));
      let o = 0;
      for (const w of wire) { all.set(w, o); o += w.length; }
      const events = [...receiver.receive(all.slice(0, cut)), ...receiver.receive(all.slice(cut))];
      expect(events).toEqual(frames.map((f) => ({ type: f.type, data: f.data })));
    }), { numRuns: 60 });
  });

  it('the UTF-8 validator agrees with a fatal TextDecoder, however the input is split', () => {
    const utf8ish = fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 10 }).map((s) => new TextEncoder().encode(s)));
    fc.assert(fc.property(fc.array(utf8ish, { maxLength: 4 }), fc.nat(), (parts, cutSeed) => {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) { all.set(p, o); o += p.length; }
      const cut = all.length === 0 ? 0 : cutSeed % all.length;
      const v = new Utf8Validator();
      const incremental = v.push(all.subarray(0, cut)) && v.push(all.subarray(cut)) && v.end();
      expect(incremental).toBe(decodes(all));
      expect(isValidUtf8(all)).toBe(decodes(all));
    }), { numRuns: 2000 });
  });
});

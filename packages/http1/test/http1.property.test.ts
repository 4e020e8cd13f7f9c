import fc from 'fast-check';
import { concatBytes } from '@gunhttp/core';
import { Http1ClientConnection } from '../src/index.js';
import type { Http1Event, Http1Request } from '../src/index.js';
import { bytes, req } from './helpers.js';

/** Cuts `data` at the given offsets (taken modulo its length). */
function split(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const offsets = [...new Set(cuts.map((c) => (data.length === 0 ? 0 : c % data.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const o of offsets) {
    out.push(data.slice(start, o));
    start = o;
  }
  out.push(data.slice(start));
  return out;
}

function feed(conn: Http1ClientConnection, chunks: Uint8Array[], eof: boolean): Http1Event[] {
  const events: Http1Event[] = [];
  for (const c of chunks) events.push(...conn.receive(c));
  if (eof) events.push(...conn.receiveEof());
  return events;
}

const prefixes = [
  '', 'HTTP/1.1 200 OK\r\n', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n', 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n',
  'HTTP/1.1 101 Switching Protocols\r\n', 'HTTP/1.1 100 Continue\r\n\r\n',
].map(bytes);

const requests: Array<Partial<Http1Request>> = [
  {}, { method: 'HEAD' }, { method: 'CONNECT', body: { kind: 'none' } },
  { headers: [['connection', 'upgrade'], ['upgrade', 'websocket']] },
];

describe('properties', () => {
  it('arbitrary octets after requests, in arbitrary splits, never throw; an error is always the last event', () => {
    fc.assert(fc.property(
      fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 8 }),
      fc.subarray(requests, { minLength: 1 }), fc.boolean(),
      (prefix, tail, cuts, reqs, eof) => {
        const conn = new Http1ClientConnection({ maxHeaderBlockSize: 150 });
        for (const r of reqs) conn.request(req(r));
        const events = feed(conn, split(concatBytes([prefix, tail]), cuts), eof);
        const errorAt = events.findIndex((e) => e.type === 'error');
        if (errorAt !== -1) {
          expect(errorAt).toBe(events.length - 1);
          expect(conn.state).toBe('error');
        }
        expect(typeof conn.keepAlive).toBe('boolean');
      },
    ), { numRuns: 500 });
  });

  it('the same octets give the same events whatever the split', () => {
    fc.assert(fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 100 }), fc.array(fc.nat(), { maxLength: 8 }), (prefix, tail, cuts) => {
      const make = (): Http1ClientConnection => {
        const conn = new Http1ClientConnection();
        conn.request(req());
        conn.request(req());
        return conn;
      };
      const wire = concatBytes([prefix, tail]);
      const norm = (events: Http1Event[]): unknown[] => {
        const out: unknown[] = [];
        for (const e of events) {
          const last = out[out.length - 1] as { type: string; data: number[]; fin: boolean; id: number } | undefined;
          if (e.type === 'data' && last?.type === 'data' && last.id === e.id) {
            last.data.push(...e.data);
            last.fin = e.fin;
          } else if (e.type === 'data') {
            out.push({ ...e, data: [...e.data] });
          } else if (e.type === 'error') {
            out.push(e.error.code);
          } else {
            out.push(e);
          }
        }
        return out;
      };
      expect(norm(feed(make(), split(wire, cuts), true))).toEqual(norm(feed(make(), [wire], true)));
    }), { numRuns: 300 });
  });

  it('round trip: a body chunked by the encoder decodes to the same octets', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (parts, cuts) => {
      const sender = new Http1ClientConnection();
      const id = sender.request(req({ method: 'POST', body: { kind: 'streamed' } }));
      sender.takeOutput();
      parts.forEach((p, i) => sender.sendData(id, p, { fin: i === parts.length - 1 }));
      if (parts.length === 0) sender.sendData(id, new Uint8Array(0), { fin: true });
      const wire = concatBytes([bytes('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n'), ...sender.takeOutput()]);
      const receiver = new Http1ClientConnection();
      receiver.request(req());
      const events = feed(receiver, split(wire, cuts), false);
      const data = events.flatMap((e) => (e.type === 'data' ? [e.data] : []));
      expect(concatBytes(data)).toEqual(concatBytes(parts));
      expect(events[events.length - 1]).toMatchObject({ type: 'data', fin: true });
      expect(receiver.state).toBe('idle');
    }), { numRuns: 200 });
  });
});

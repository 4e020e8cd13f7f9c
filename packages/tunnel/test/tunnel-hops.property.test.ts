import fc from 'fast-check';
import { StreamRef, latin1Encode } from '@gunhttp/core';
import { Http1Layer, SocksLayer } from '../src/index.js';
import type { Layer } from '../src/index.js';
import { hopMachine } from './unit/hop-machine.js';

/* Whatever a proxy answers, a CONNECT or SOCKS hop never throws: it tunnels, responds, or closes. */

const chunks = fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 });

function feed(layer: Layer, input: Uint8Array[]): unknown[] {
  const m = hopMachine(layer);
  const items = input.flatMap((c) => m.receive(c));
  return [...items, ...(m.receiveEof?.() ?? [])];
}

describe('tunnel hops: arbitrary answers never throw', () => {
  it('an Http1Layer awaiting a CONNECT answer', () => {
    fc.assert(fc.property(chunks, fc.boolean(), (input, prefixed) => {
      const layer = new Http1Layer({ authority: 'proxy' });
      layer.command({ type: 'connect', streamRef: new StreamRef(), replyTo: 'me', destination: { host: 'o', port: 1 }, headers: [] });
      const head = prefixed ? [latin1Encode('HTTP/1.1 200 OK\r\n')] : [];
      expect(Array.isArray(feed(layer, [...head, ...input]))).toBe(true);
    }), { numRuns: 300 });
  });

  it('a SocksLayer during its handshake', () => {
    fc.assert(fc.property(chunks, fc.boolean(), (input, withAuth) => {
      const auth = withAuth ? [{ username: 'u', password: 'p' }, 'none' as const] : undefined;
      const layer = new SocksLayer({ destination: { host: 'o', port: 1, ...(auth === undefined ? {} : { auth }) } });
      layer.start();
      expect(Array.isArray(feed(layer, [Uint8Array.of(5), ...input]))).toBe(true);
    }), { numRuns: 300 });
  });
});

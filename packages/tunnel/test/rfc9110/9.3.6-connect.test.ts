import { StreamRef, latin1Decode, latin1Encode } from '@gunhttp/core';
import { coalesceData, expectEventsForAllChunkings } from '@gunhttp/testkit';
import { Http1Layer, connectAuthority } from '../../src/index.js';
import type { ConnectCommand, Destination, LayerOutput } from '../../src/index.js';
import { hopMachine } from '../unit/hop-machine.js';

/*
 * RFC 9110 §9.3.6 (CONNECT), RFC 9112 §3.2.3 (authority-form) and §11.7.2 (Proxy-Authorization),
 * as Gun's rfc7231_SUITE checks them over HTTP/1.1.
 */

const ME = 'me';

function connect(destination: Destination, headers: ConnectCommand['headers'] = []): ConnectCommand {
  return { type: 'connect', streamRef: new StreamRef(), replyTo: ME, destination, headers };
}

function sent(destination: Destination, headers: ConnectCommand['headers'] = []): string {
  const out = new Http1Layer({ authority: 'proxy.example:3128' }).command(connect(destination, headers));
  return out.writes.map((w) => latin1Decode(w)).join('');
}

function answer(head: string, cmd = connect({ host: 'origin.example', port: 443 })): { out: LayerOutput; cmd: ConnectCommand } {
  const layer = new Http1Layer({ authority: 'proxy' });
  layer.command(cmd);
  return { out: layer.receive(latin1Encode(head)), cmd };
}

describe('RFC 9110 §9.3.6 CONNECT: the request', () => {
  it('the request target is the authority-form host:port of the destination (RFC 9112 §3.2.3)', () => {
    expect(sent({ host: 'origin.example', port: 443 })).toBe('CONNECT origin.example:443 HTTP/1.1\r\nhost: origin.example:443\r\n\r\n');
  });

  it('an IPv6 destination is written in brackets, in the target and in host (RFC 3986 §3.2.2; Gun omits them)', () => {
    expect(sent({ host: '::1', port: 8080 })).toBe('CONNECT [::1]:8080 HTTP/1.1\r\nhost: [::1]:8080\r\n\r\n');
    expect(connectAuthority('[2001:db8::1]', 443)).toBe('[2001:db8::1]:443');
    expect(connectAuthority('192.0.2.1', 80)).toBe('192.0.2.1:80');
  });

  it('a CONNECT request has no content: user content-length and transfer-encoding are never sent', () => {
    const wire = sent({ host: 'o', port: 1 }, [['content-length', '10'], ['transfer-encoding', 'chunked'], ['x-a', 'b']]);
    expect(wire).toBe('CONNECT o:1 HTTP/1.1\r\nhost: o:1\r\nx-a: b\r\n\r\n');
  });

  it('a host header given by the user is sent instead of the authority', () => {
    expect(sent({ host: 'o', port: 1 }, [['host', 'other:2']])).toBe('CONNECT o:1 HTTP/1.1\r\nhost: other:2\r\n\r\n');
  });

  it('username and password become proxy-authorization: Basic (RFC 9110 §11.7.2, RFC 7617 §2)', () => {
    expect(sent({ host: 'o', port: 1, username: 'user', password: 'pass' }))
      .toBe('CONNECT o:1 HTTP/1.1\r\nhost: o:1\r\nproxy-authorization: Basic dXNlcjpwYXNz\r\n\r\n');
  });

  it('a proxy-authorization header given by the user is kept and not duplicated', () => {
    const wire = sent({ host: 'o', port: 1, username: 'user', password: 'pass' }, [['proxy-authorization', 'Bearer t']]);
    expect(wire).toBe('CONNECT o:1 HTTP/1.1\r\nhost: o:1\r\nproxy-authorization: Bearer t\r\n\r\n');
  });
});

describe('RFC 9110 §9.3.6 CONNECT: the response', () => {
  it.each([
    ['200', 'HTTP/1.1 200 Connection Established\r\n\r\n'],
    ['201 (any 2xx)', 'HTTP/1.1 201 Created\r\n\r\n'],
    ['an HTTP/1.0 200', 'HTTP/1.0 200 OK\r\n\r\n'],
  ])('a %s establishes the tunnel: response fin and a tunnel directive', (_name, head) => {
    const { out, cmd } = answer(head);
    expect(out.deliveries.map((d) => d.message)).toEqual([expect.objectContaining({ type: 'response', streamRef: cmd.streamRef, fin: true })]);
    expect(out.directives).toEqual([expect.objectContaining({ type: 'tunnel', via: 'connect', streamRef: cmd.streamRef, destination: cmd.destination })]);
  });

  it('content-length and transfer-encoding in a 2xx are ignored: what follows the head is the tunnel\'s (every chunking)', () => {
    const cmd = connect({ host: 'o', port: 1 });
    const make = (): ReturnType<typeof hopMachine> => {
      const layer = new Http1Layer({ authority: 'proxy' });
      layer.command(cmd);
      return hopMachine(layer);
    };
    const head = 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n';
    const expected = [
      { type: 'response', conn: undefined, streamRef: cmd.streamRef, fin: true, status: 200, headers: [['content-length', '5'], ['transfer-encoding', 'chunked']] },
      expect.objectContaining({ type: 'tunnel' }),
      { type: 'data', next: true, fin: false, data: latin1Encode('0\r\n\r\nhello') },
    ];
    expectEventsForAllChunkings(make, latin1Encode(`${head}0\r\n\r\nhello`), expected, { normalize: coalesceData });
  });

  it.each([302, 403, 500])('a %i is not a tunnel: a plain response read by its framing, no directive', (status) => {
    const { out, cmd } = answer(`HTTP/1.1 ${status} No\r\ncontent-length: 3\r\n\r\nabc`);
    expect(out.deliveries.map((d) => d.message)).toEqual([
      expect.objectContaining({ type: 'response', streamRef: cmd.streamRef, status, fin: false }),
      expect.objectContaining({ type: 'data', streamRef: cmd.streamRef, fin: true, data: latin1Encode('abc') }),
    ]);
    expect(out.directives).toEqual([]);
  });

  it('a 1xx before the 2xx is informational; the 2xx still establishes the tunnel', () => {
    const { out } = answer('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n');
    expect(out.deliveries.map((d) => d.message.type)).toEqual(['inform', 'response']);
    expect(out.directives.map((d) => d.type)).toEqual(['tunnel']);
  });
});

import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { createDuplexPair } from '../src/duplex.js';
import { getTestPki } from '../src/pki.js';

function readAll(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

describe('createDuplexPair', () => {
  it('carries bytes both ways, in order', async () => {
    const [a, b] = createDuplexPair();
    const fromA = readAll(b);
    const fromB = readAll(a);
    a.write('hello ');
    a.end('world');
    b.end(Buffer.from([1, 2, 3]));
    expect((await fromA).toString()).toBe('hello world');
    expect([...(await fromB)]).toEqual([1, 2, 3]);
  });

  it('end() on one end ends the other readable but keeps its writable open (half-close)', async () => {
    const [a, b] = createDuplexPair();
    const fromA = readAll(b);
    a.end('bye');
    expect((await fromA).toString()).toBe('bye');
    expect(b.writable).toBe(true);
    const fromB = readAll(a);
    b.end('late reply');
    expect((await fromB).toString()).toBe('late reply');
  });

  it('applies backpressure: writes stall until the peer reads', async () => {
    const [a, b] = createDuplexPair();
    const chunk = Buffer.alloc(64 * 1024, 7);
    let accepted = 0;
    // Fill until the writer reports a full pipeline (peer buffer + our own buffer).
    while (accepted < 100 && a.write(chunk)) accepted += 1;
    expect(accepted).toBeLessThan(4);
    expect(b.readableLength).toBeLessThanOrEqual((accepted + 1) * chunk.length);
    const drained = once(a, 'drain');
    let received = 0;
    b.on('data', (c: Buffer) => (received += c.length));
    await drained;
    expect(received).toBeGreaterThanOrEqual((accepted + 1) * chunk.length - a.writableLength);
  });

  it('delivers a large transfer intact through backpressure', async () => {
    const [a, b] = createDuplexPair();
    const total = 4 * 1024 * 1024;
    const data = Buffer.alloc(total);
    for (let i = 0; i < total; i++) data[i] = i % 251;
    const received = readAll(b);
    (async () => {
      for (let off = 0; off < total; off += 10_000) {
        if (!a.write(data.subarray(off, off + 10_000))) await once(a, 'drain');
      }
      a.end();
    })().catch(() => undefined);
    expect((await received).equals(data)).toBe(true);
  });

  it('destroy() on one end ends the other readable', async () => {
    const [a, b] = createDuplexPair();
    const fromA = readAll(b);
    a.write('partial');
    await new Promise((resolve) => setImmediate(resolve));
    a.destroy();
    expect((await fromA).toString()).toBe('partial');
  });

  it('carries a TLS session (tls.connect over one end, TLSSocket server on the other)', async () => {
    const pki = getTestPki();
    const [clientSide, serverSide] = createDuplexPair();
    const server = new TLSSocket(serverSide, { isServer: true, key: pki.server.keyPem, cert: pki.server.certPem });
    server.on('data', (c: Buffer) => server.write(`echo:${c.toString()}`));
    server.on('end', () => server.end());
    const client = tlsConnect({ socket: clientSide, ca: pki.caPem, servername: 'localhost' });
    await once(client, 'secureConnect');
    expect(client.authorized).toBe(true);
    const reply = readAll(client);
    client.end('ping');
    expect((await reply).toString()).toBe('echo:ping');
  });

  it('fails TLS verification through the pair when the certificate does not match', async () => {
    const pki = getTestPki();
    const [clientSide, serverSide] = createDuplexPair();
    const server = new TLSSocket(serverSide, { isServer: true, key: pki.wrongHost.keyPem, cert: pki.wrongHost.certPem });
    server.on('error', () => undefined);
    const client = tlsConnect({ socket: clientSide, ca: pki.caPem, servername: 'localhost' });
    const [error] = (await once(client, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

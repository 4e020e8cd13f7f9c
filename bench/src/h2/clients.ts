// The Node HTTP/2 clients under test, each opening ONE connection to the h2 origin: gunhttp,
// node:http2 (`http2.connect`) and undici 7 (`Client` with `allowH2`). Every response is checked
// (status 200, body length) so a broken client cannot look fast.
import { connect as http2Connect } from 'node:http2';
import type { ClientHttp2Session } from 'node:http2';
import { once } from 'node:events';
import { open } from '@gunhttp/gun';
import { Client } from 'undici';
import { gunSession } from '../clients/gun';
import { undiciSession } from '../clients/undici';
import { SMALL_BODY_LENGTH } from '../types';
import type { Session } from '../types';

/** Where the h2 origin listens: `h2c` is cleartext with prior knowledge, `h2` is TLS with ALPN. */
export interface H2Origin {
  readonly scheme: 'h2c' | 'h2';
  readonly port: number;
  /** The test CA's certificate, PEM, that signed the origin's certificate. */
  readonly caPem: string;
}

/** A Node HTTP/2 client under test; `concurrency` is how many streams the caller keeps open. */
export interface H2Client {
  readonly name: string;
  connect(origin: H2Origin, concurrency: number): Promise<Session>;
}

/**
 * Gun's default HTTP/2 windows (8 000 000 octets, connection and stream); node:http2 and undici
 * get the same so the download compares implementations, not window defaults (theirs are 64 KiB
 * and 256 KiB per stream, which on loopback cost round trips rather than CPU).
 */
export const WINDOW = 8_000_000;

const url = (o: H2Origin): string => `${o.scheme === 'h2' ? 'https' : 'http'}://127.0.0.1:${o.port}`;

function checkSmall(name: string, status: number | undefined, length: number): void {
  if (status !== 200 || length !== SMALL_BODY_LENGTH) throw new Error(`${name}: /small answered ${String(status)} with ${length} bytes`);
}

/** gunhttp: h2c by `protocols: ['http2']`, h2 by ALPN over TLS (verified against the test CA). */
export const gunH2Client: H2Client = {
  name: 'gunhttp',
  async connect(origin) {
    const conn =
      origin.scheme === 'h2'
        ? open('127.0.0.1', origin.port, { retry: 0, transport: 'tls', tlsOpts: { ca: origin.caPem } })
        : open('127.0.0.1', origin.port, { retry: 0, protocols: ['http2'] });
    const protocol = await conn.awaitUp();
    if (protocol !== 'http2') throw new Error(`gunhttp: negotiated ${protocol}, not http2`);
    const session = gunSession(conn);
    await session.small();
    return session;
  },
};

/** One GET on a node:http2 session; resolves with the status and the body length. */
function http2Get(session: ClientHttp2Session, path: string): Promise<{ status: number | undefined; length: number }> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path }, { endStream: true });
    let status: number | undefined;
    let length = 0;
    req.on('response', (headers) => (status = headers[':status']));
    req.on('data', (chunk: Buffer) => (length += chunk.length));
    req.on('end', () => resolve({ status, length }));
    req.on('error', reject);
  });
}

/** node:http2's `connect`, one session, windows raised to {@link WINDOW}. */
export const nodeHttp2Client: H2Client = {
  name: 'node:http2',
  async connect(origin) {
    const h2 = http2Connect(url(origin), { ca: origin.caPem, settings: { initialWindowSize: WINDOW, enablePush: false } });
    h2.on('error', () => undefined); // a failed request rejects its own promise
    await once(h2, 'connect');
    h2.setLocalWindowSize(WINDOW);
    const session: Session = {
      async small() {
        const { status, length } = await http2Get(h2, '/small');
        checkSmall('node:http2', status, length);
      },
      async download(bytes) {
        const { status, length } = await http2Get(h2, `/big?n=${bytes}`);
        if (status !== 200) throw new Error(`node:http2: status ${String(status)}`);
        return length;
      },
      close: () => new Promise<void>((resolve) => h2.close(resolve)),
    };
    await session.small();
    return session;
  },
};

/**
 * undici 7's `Client` with `allowH2`; over h2c with `useH2c` (prior knowledge, undici ≥ 7.x, not
 * in its types yet). `pipelining` must be raised to let more than one stream run at once.
 */
export const undiciH2Client: H2Client = {
  name: 'undici',
  async connect(origin, concurrency) {
    const options: Client.Options & { useH2c?: boolean } = {
      allowH2: true,
      pipelining: concurrency,
      maxConcurrentStreams: Math.max(concurrency, 100),
      initialWindowSize: WINDOW,
      connectionWindowSize: WINDOW,
      connect: { ca: origin.caPem },
      ...(origin.scheme === 'h2c' ? { useH2c: true } : {}),
    };
    const client = new Client(url(origin), options);
    const session = undiciSession(client);
    await session.small();
    return session;
  },
};

export const H2_CLIENTS: readonly H2Client[] = [gunH2Client, nodeHttp2Client, undiciH2Client];

// The Node clients of the proxy workloads: gunhttp through one CONNECT hop (the reference of
// every ratio), gunhttp direct and through two hops, undici's ProxyAgent through one hop and
// undici direct. Each session is one connection (one tunnel), opened, tunnelled and primed with
// one GET /small before it is timed; every response is checked.
import { open } from '@gunhttp/gun';
import type { Connection, StreamRef } from '@gunhttp/gun';
import { ProxyAgent } from 'undici';
import { expectOk, gunClient, gunSession } from '../clients/gun';
import { undiciClient } from '../clients/undici';
import { SMALL_BODY_LENGTH } from '../types';
import type { NodeClient, Session } from '../types';

/** Where the clients go: the HTTP/1.1 origin, and the two CONNECT proxies of the chain, in order. */
export interface ProxyTopology {
  readonly originPort: number;
  readonly proxyPorts: readonly [number, number];
}

/** A client of the proxy workloads: opens one session (one connection) along its route. */
export interface ProxyClient {
  readonly name: string;
  readonly note?: string;
  connect(topology: ProxyTopology): Promise<Session>;
}

const HOST = '127.0.0.1';

/** CONNECT to `port` (through `via` when given); resolves once the 200 and `tunnelUp` are in. */
async function tunnelTo(conn: Connection, port: number, via: StreamRef | undefined): Promise<StreamRef> {
  const ref = conn.connect({ host: HOST, port }, {}, via === undefined ? {} : { tunnel: via });
  await expectOk(conn, ref);
  const up = await conn.await(ref);
  if (up.type !== 'tunnelUp') throw new Error(`gunhttp: expected tunnelUp, got ${up.type}`);
  return ref;
}

/** gunhttp through `hops` CONNECT proxies of the chain (1 or 2), each tunnel inside the last. */
function gunViaHops(name: string, hops: 1 | 2, note: string): ProxyClient {
  return {
    name,
    note,
    async connect({ originPort, proxyPorts }) {
      const conn = open(HOST, proxyPorts[0], { retry: 0 });
      try {
        await conn.awaitUp();
        const route = hops === 1 ? [originPort] : [proxyPorts[1], originPort];
        let tunnel: StreamRef | undefined;
        for (const port of route) tunnel = await tunnelTo(conn, port, tunnel);
        const session = gunSession(conn, tunnel!);
        await session.small();
        return session;
      } catch (error) {
        conn.close();
        throw error;
      }
    },
  };
}

/** undici 7's `ProxyAgent` (CONNECT even to an http origin: `proxyTunnel` defaults to true). */
const undiciProxy: ProxyClient = {
  name: 'undici-1hop',
  note: 'undici ProxyAgent through the first proxy (CONNECT, one connection)',
  async connect({ originPort, proxyPorts }) {
    const agent = new ProxyAgent({ uri: `http://${HOST}:${proxyPorts[0]}` });
    const origin = `http://${HOST}:${originPort}`;
    const session: Session = {
      async small() {
        const { statusCode, body } = await agent.request({ origin, path: '/small', method: 'GET' });
        const bytes = await body.arrayBuffer();
        if (statusCode !== 200 || bytes.byteLength !== SMALL_BODY_LENGTH) throw new Error(`undici ProxyAgent: /small ${statusCode}, ${bytes.byteLength} bytes`);
      },
      async download(bytes) {
        const { statusCode, body } = await agent.request({ origin, path: `/big?n=${bytes}`, method: 'GET' });
        if (statusCode !== 200) throw new Error(`undici ProxyAgent: status ${statusCode}`);
        let read = 0;
        for await (const chunk of body) read += (chunk as Buffer).length;
        return read;
      },
      close: () => agent.close(),
    };
    await session.small();
    return session;
  },
};

/** The HTTP/1.1 workloads' client, straight to the origin. */
function direct(name: string, client: NodeClient, note: string): ProxyClient {
  return { name, note, connect: ({ originPort }) => client.connect(originPort, 1) };
}

/** In the order of the table; `gunhttp` (one hop) first, as every ratio divides it. */
export const PROXY_CLIENTS: readonly ProxyClient[] = [
  gunViaHops('gunhttp', 1, 'through one CONNECT hop; every gun/peer ratio is this row over that one'),
  direct('gun-direct', gunClient, 'gunhttp straight to the origin'),
  gunViaHops('gun-2hop', 2, 'gunhttp through both proxies: CONNECT to the second inside a tunnel through the first'),
  undiciProxy,
  direct('undici', undiciClient, 'undici Client straight to the origin'),
];

import { open } from '@gunhttp/gun';
import type { Connection, StreamRef } from '@gunhttp/gun';
import { SMALL_BODY_LENGTH } from '../types';
import type { NodeClient, Session } from '../types';

/** Checks the response head is a 200; resolves with its `fin`. */
export async function expectOk(conn: Connection, ref: StreamRef): Promise<boolean> {
  const res = await conn.await(ref);
  if (res.type !== 'response' || res.status !== 200) throw new Error(`gunhttp: unexpected ${res.type} ${'status' in res ? String(res.status) : ''}`);
  return res.fin;
}

/**
 * A bench session over an open gunhttp connection (HTTP/1.1 or HTTP/2): every response checked;
 * `tunnel` sends every request through that CONNECT tunnel.
 */
export function gunSession(conn: Connection, tunnel?: StreamRef): Session {
  const reqOpts = tunnel === undefined ? {} : { tunnel };
  return {
    async small() {
      const ref = conn.get('/small', {}, reqOpts);
      if (await expectOk(conn, ref)) throw new Error('gunhttp: /small had no body');
      const { body } = await conn.awaitBody(ref);
      if (body.length !== SMALL_BODY_LENGTH) throw new Error(`gunhttp: /small body of ${body.length} bytes`);
    },
    async download(bytes) {
      const ref = conn.get(`/big?n=${bytes}`, {}, reqOpts);
      let fin = await expectOk(conn, ref);
      let read = 0;
      while (!fin) {
        const m = await conn.await(ref);
        if (m.type !== 'data') throw new Error(`gunhttp: unexpected ${m.type} in the body`);
        read += m.data.length;
        fin = m.fin;
      }
      return read;
    },
    async close() {
      conn.close();
      await conn.terminated;
    },
  };
}

/** gunhttp over one connection; pipelining is its default, so `depth` only sets the caller's window. */
export const gunClient: NodeClient = {
  name: 'gunhttp',
  pipelineNote: 'pipelines on one connection (10 requests in flight)',
  async connect(port) {
    const conn = open('127.0.0.1', port, { retry: 0 });
    await conn.awaitUp();
    const session = gunSession(conn);
    await session.small();
    return session;
  },
};

import { Client } from 'undici';
import { SMALL_BODY_LENGTH } from '../types';
import type { NodeClient, Session } from '../types';

/** A bench session over an undici `Client` (HTTP/1.1 or HTTP/2): every response checked. */
export function undiciSession(client: Client): Session {
  return {
    async small() {
      const { statusCode, body } = await client.request({ path: '/small', method: 'GET' });
      const bytes = await body.arrayBuffer();
      if (statusCode !== 200 || bytes.byteLength !== SMALL_BODY_LENGTH) throw new Error(`undici: /small ${statusCode}, ${bytes.byteLength} bytes`);
    },
    async download(bytes) {
      const { statusCode, body } = await client.request({ path: `/big?n=${bytes}`, method: 'GET' });
      if (statusCode !== 200) throw new Error(`undici: status ${statusCode}`);
      let read = 0;
      for await (const chunk of body) read += (chunk as Buffer).length;
      return read;
    },
    close: () => client.close(),
  };
}

/** undici 7's `Client` (one connection) with `pipelining: depth`. */
export const undiciClient: NodeClient = {
  name: 'undici',
  pipelineNote: 'Client with pipelining: 10',
  async connect(port, depth) {
    const client = new Client(`http://127.0.0.1:${port}`, { pipelining: depth });
    const session = undiciSession(client);
    await session.small();
    return session;
  },
};

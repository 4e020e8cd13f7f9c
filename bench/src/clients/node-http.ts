import { Agent, get } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { SMALL_BODY_LENGTH } from '../types';
import type { NodeClient, Session } from '../types';

function fetchLength(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) reject(new Error(`node:http: status ${String(res.statusCode)}`));
      let read = 0;
      res.on('data', (chunk: Buffer) => (read += chunk.length));
      res.on('end', () => resolve(read));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** node:http with a keep-alive Agent of one socket: it cannot pipeline, so requests queue in the Agent. */
export const nodeHttpClient: NodeClient = {
  name: 'node:http',
  pipelineNote: 'cannot pipeline: 10 requests queue on its single keep-alive socket, one in flight',
  async connect(port) {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const session: Session = {
      async small() {
        const n = await fetchLength(agent, port, '/small');
        if (n !== SMALL_BODY_LENGTH) throw new Error(`node:http: /small body of ${n} bytes`);
      },
      download: (bytes) => fetchLength(agent, port, `/big?n=${bytes}`),
      async close() {
        agent.destroy();
      },
    };
    await session.small();
    return session;
  },
};

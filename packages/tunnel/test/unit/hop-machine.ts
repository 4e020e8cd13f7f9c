import type { ChunkableMachine } from '@gunhttp/testkit';
import type { Layer, LayerOutput } from '../../src/index.js';

/**
 * A layer as the chunking harness drives it, with the client's part played: once the layer sends
 * its `tunnel` directive, the bytes that follow (its `remainder`, then later chunks) go to the
 * "next layer", shown as `{ type: 'data', next: true }` items. Items per call: writes, then
 * delivered messages, then directives (`tunnel` without its remainder); events are left out.
 */
export function hopMachine(layer: Layer): ChunkableMachine<unknown> {
  let tunnelled = false;
  const forwarded = (data: Uint8Array): unknown => ({ type: 'data', next: true, fin: false, data });
  const items = (out: LayerOutput): unknown[] => {
    const list: unknown[] = [];
    for (const data of out.writes) list.push({ type: 'write', data });
    for (const d of out.deliveries) list.push(d.message);
    for (const d of out.directives) {
      if (d.type !== 'tunnel') {
        list.push(d);
        continue;
      }
      const { remainder, ...rest } = d;
      tunnelled = true;
      list.push(rest);
      if (remainder.length > 0) list.push(forwarded(remainder));
    }
    return list;
  };
  return {
    receive: (chunk) => (tunnelled ? [forwarded(chunk)] : items(layer.receive(chunk))),
    receiveEof: () => (tunnelled ? [] : items(layer.receiveEof())),
  };
}

import { StreamRef } from '@gunhttp/core';
import type { GunMessage } from '@gunhttp/core';
import { contentDeliveryFor } from '../../src/content-delivery.js';
import { resolveSpec } from '../../src/content-handlers/content-handler.js';
import { gunDataHandler } from '../../src/content-handlers/data-handler.js';
import { DEFAULT_CONTENT_HANDLERS } from '../../src/content-handlers/options.js';
import { gunSseHandler } from '../../src/content-handlers/sse-handler.js';

/*
 * Gun §1.7, §5.9: the layers spend one unit of flow per `data` message; the content delivery
 * corrects each chunk by what the chain delivered (1 - flowInc), so the flow counts sse events.
 */

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const CONN = { name: 'conn' };

function harness(): { route: (m: GunMessage) => boolean; delivered: GunMessage[]; adjustments: number[]; ref: StreamRef } {
  const delivered: GunMessage[] = [];
  const adjustments: number[] = [];
  const ref = new StreamRef();
  const handlers = [gunSseHandler, gunDataHandler].map((h) => resolveSpec(h));
  const delivery = contentDeliveryFor(handlers, (r, increment) => {
    expect(r).toBe(ref);
    adjustments.push(increment);
  });
  if (delivery === undefined) throw new Error('expected a content delivery');
  const replyTo = (m: GunMessage): void => void delivered.push(m);
  return { route: (m) => delivery.route(replyTo, m), delivered, adjustments, ref };
}

const data = (ref: StreamRef, fin: boolean, body: string): GunMessage => ({ type: 'data', conn: CONN, streamRef: ref, fin, data: text(body) });

describe('ContentDelivery flow correction (Gun §5.9: the flow counts sse events)', () => {
  it('corrects each data chunk by 1 - the messages its chain delivered', () => {
    const { route, delivered, adjustments, ref } = harness();
    expect(route({ type: 'response', conn: CONN, streamRef: ref, fin: false, status: 200, headers: [['content-type', 'text/event-stream']] })).toBe(false);
    expect(route(data(ref, false, 'data: 1\n\ndata: 2\n\ndata: 3\n\n'))).toBe(true);
    expect(adjustments).toEqual([-2]);
    route(data(ref, false, 'data: 4'));
    expect(adjustments).toEqual([-2, 1]);
    route(data(ref, false, '\n\n'));
    expect(adjustments).toEqual([-2, 1]);
    route(data(ref, true, 'data: 5\n\n'));
    expect(adjustments).toEqual([-2, 1, -1]);
    expect(delivered.map((m) => (m.type === 'sse' ? m.event : m.type))).toEqual([
      ...['1', '2', '3', '4', '5'].map((d) => ({ eventType: 'message', data: d, lastEventId: '' })),
      'fin',
    ]);
  });

  it('leaves data the chain delivers as one data message uncorrected', () => {
    const { route, adjustments, ref } = harness();
    route({ type: 'response', conn: CONN, streamRef: ref, fin: false, status: 200, headers: [['content-type', 'text/plain']] });
    route(data(ref, false, 'a'));
    route(data(ref, true, 'b'));
    expect(adjustments).toEqual([]);
  });

  it("is not made for Gun's default handlers (data goes out as the layers made it)", () => {
    expect(contentDeliveryFor(DEFAULT_CONTENT_HANDLERS, () => undefined)).toBeUndefined();
  });
});

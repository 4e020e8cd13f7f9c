import { StreamRef, latin1Encode } from '@gunhttp/core';
import { RawLayer } from '../../src/index.js';

/* The raw protocol's flow (Gun gun_raw, Gun §5.9 and §5.16): every received chunk is one message. */

const ME = 'me';

describe('RawLayer flow (Gun §5.9, §5.16)', () => {
  it('each chunk spends one unit; reading pauses at 0 and resumes on updateFlow', () => {
    const ref = new StreamRef();
    const layer = new RawLayer(ref, ME, 'conn', { flow: 2 });
    expect(layer.readPaused).toBe(false);
    layer.receive(latin1Encode('a'));
    expect(layer.readPaused).toBe(false);
    const out = layer.receive(latin1Encode('b'));
    expect(out.deliveries).toEqual([{ replyTo: ME, message: { type: 'data', conn: 'conn', streamRef: ref, fin: false, data: latin1Encode('b') } }]);
    expect(layer.readPaused).toBe(true);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect(layer.readPaused).toBe(false);
  });

  it('an empty chunk delivers nothing and costs nothing', () => {
    const layer = new RawLayer(new StreamRef(), ME, undefined, { flow: 1 });
    expect(layer.receive(new Uint8Array(0)).deliveries).toEqual([]);
    expect(layer.readPaused).toBe(false);
  });

  it('chunks read after the flow ran out are delivered and owed', () => {
    const ref = new StreamRef();
    const layer = new RawLayer(ref, ME, undefined, { flow: 1 });
    layer.receive(latin1Encode('a'));
    expect(layer.receive(latin1Encode('b')).deliveries).toHaveLength(1);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect(layer.readPaused).toBe(true);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: 1 });
    expect(layer.readPaused).toBe(false);
  });

  it('applies an update whatever its ref: the connection is one stream (Gun gun_raw:update_flow)', () => {
    const layer = new RawLayer(new StreamRef(), ME, undefined, { flow: 1 });
    layer.receive(latin1Encode('a'));
    expect(layer.readPaused).toBe(true);
    expect(layer.command({ type: 'updateFlow', streamRef: new StreamRef(), increment: 1 }).deliveries).toEqual([]);
    expect(layer.readPaused).toBe(false);
  });

  it('without a flow it never pauses and updates do nothing', () => {
    const ref = new StreamRef();
    const layer = new RawLayer(ref, ME);
    layer.command({ type: 'updateFlow', streamRef: ref, increment: -10 });
    for (let i = 0; i < 3; i++) layer.receive(latin1Encode('x'));
    expect(layer.readPaused).toBe(false);
  });
});

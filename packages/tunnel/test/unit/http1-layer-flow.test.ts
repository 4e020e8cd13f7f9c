import { StreamRef, latin1Encode } from '@gunhttp/core';
import { Http1Layer, LayerStack } from '../../src/index.js';
import type { GunCommand, LayerOutput, RequestCommand } from '../../src/index.js';

/*
 * Gun's message-count flow on HTTP/1.1 (Gun §5.9, gun_http send_data/update_flow): each `data`
 * message of a stream spends one unit of its flow; reading pauses while the stream whose response
 * is being read runs with its flow at or below 0; `updateFlow` raises it.
 */

const ME = 'me';

function request(overrides: Partial<RequestCommand> = {}): RequestCommand {
  return { type: 'request', streamRef: new StreamRef(), replyTo: ME, method: 'GET', path: '/', headers: [], body: new Uint8Array(0), function: 'request', ...overrides };
}

const update = (streamRef: StreamRef, increment: number): GunCommand => ({ type: 'updateFlow', streamRef, increment });
const types = (out: LayerOutput): string[] => out.deliveries.map((d) => d.message.type);
const bytes = (s: string): Uint8Array => latin1Encode(s);
const HEAD_10 = 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n';

function layerWith(cmd: RequestCommand, options: { flow?: number } = {}): Http1Layer {
  const layer = new Http1Layer({ authority: 'h', ...options });
  layer.command(cmd);
  return layer;
}

describe('Http1Layer flow (Gun §5.9)', () => {
  it('flow 1: the first data message pauses reading; updateFlow on the stream resumes it', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    expect(layer.readPaused).toBe(false);
    expect(types(layer.receive(bytes(`${HEAD_10}abc`)))).toEqual(['response', 'data']);
    expect(layer.readPaused).toBe(true);
    expect(layer.command(update(cmd.streamRef, 1))).toEqual({ deliveries: [], writes: [], directives: [], events: [] });
    expect(layer.readPaused).toBe(false);
  });

  it('response heads, informs and trailers are free; only data messages count', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    expect(types(layer.receive(bytes('HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n')))).toEqual(['inform']);
    expect(types(layer.receive(bytes('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n')))).toEqual(['response']);
    expect(layer.readPaused).toBe(false);
    expect(types(layer.receive(bytes('3\r\nabc\r\n')))).toEqual(['data']);
    expect(layer.readPaused).toBe(true);
  });

  it('the data that ends the stream counts, but the stream is then over: reading goes on', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    const out = layer.receive(bytes(`${HEAD_10}0123456789`));
    expect(out.deliveries.at(-1)?.message).toMatchObject({ type: 'data', fin: true });
    expect(layer.readPaused).toBe(false);
    expect(layer.idle).toBe(true);
  });

  it('ignores updates for other refs, for streams without flow, and for finished streams', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    layer.receive(bytes(`${HEAD_10}a`));
    expect(layer.command(update(new StreamRef(), 5)).deliveries).toEqual([]);
    expect(layer.readPaused).toBe(true);
    const free = request();
    const plain = layerWith(free);
    expect(plain.command(update(free.streamRef, -5)).deliveries).toEqual([]);
    plain.receive(bytes(`${HEAD_10}a`));
    expect(plain.readPaused).toBe(false);
  });

  it('data already read when the flow ran out is still delivered and owed (overshoot)', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    layer.receive(bytes(`${HEAD_10}a`));
    expect(types(layer.receive(bytes('b')))).toEqual(['data']);
    layer.command(update(cmd.streamRef, 1));
    expect(layer.readPaused).toBe(true);
    layer.command(update(cmd.streamRef, 1));
    expect(layer.readPaused).toBe(false);
  });

  it('update_flow with 2 lets exactly two more data messages through (flow_SUITE flow_http)', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    layer.receive(bytes(`${HEAD_10}a`));
    layer.command(update(cmd.streamRef, 2));
    layer.receive(bytes('b'));
    expect(layer.readPaused).toBe(false);
    layer.receive(bytes('c'));
    expect(layer.readPaused).toBe(true);
  });

  it('only the stream being received pauses reading; a pipelined stream is counted when its turn comes', () => {
    const first = request();
    const second = request({ flow: 1 });
    const layer = layerWith(first);
    layer.command(second);
    layer.receive(bytes('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\na'));
    layer.command(update(second.streamRef, 0));
    expect(layer.readPaused).toBe(false);
    const out = layer.receive(bytes(`b${HEAD_10}c`));
    expect(out.deliveries.map((d) => [d.message.type, 'streamRef' in d.message && d.message.streamRef])).toEqual([
      ['data', first.streamRef], ['response', second.streamRef], ['data', second.streamRef],
    ]);
    expect(layer.readPaused).toBe(true);
  });

  it('a pipelined stream whose flow ran out holds back the responses behind it', () => {
    const first = request({ flow: 1 });
    const layer = layerWith(first);
    layer.command(request());
    layer.receive(bytes(`${HEAD_10}a`));
    expect(layer.readPaused).toBe(true);
  });

  it('a cancelled stream delivers nothing, so counts nothing; cancelling a paused stream resumes reading', () => {
    const cmd = request({ flow: 1 });
    const layer = layerWith(cmd);
    layer.receive(bytes(`${HEAD_10}a`));
    expect(layer.readPaused).toBe(true);
    layer.command({ type: 'cancel', streamRef: cmd.streamRef, replyTo: ME });
    expect(layer.readPaused).toBe(false);
    expect(layer.receive(bytes('bcdefghij')).deliveries).toEqual([]);
    expect(layer.idle).toBe(true);
  });

  it("the connection's flow (Gun http_opts.flow) applies to requests without one; a request's own flow wins", () => {
    const byDefault = request();
    const layer = layerWith(byDefault, { flow: 1 });
    layer.receive(bytes(`${HEAD_10}a`));
    expect(layer.readPaused).toBe(true);
    const own = request({ flow: 2 });
    const other = layerWith(own, { flow: 1 });
    other.receive(bytes(`${HEAD_10}a`));
    expect(other.readPaused).toBe(false);
    other.receive(bytes('b'));
    expect(other.readPaused).toBe(true);
  });
});

describe('LayerStack flow after an HTTP/1.1 upgrade to raw (Gun §5.16)', () => {
  const UPGRADE_101 = 'HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: custom/1.0\r\n\r\n';
  const upgradeRequest = (flow?: number): RequestCommand => request({
    headers: [['connection', 'upgrade'], ['upgrade', 'custom/1.0']], ...(flow === undefined ? {} : { flow }),
  });

  it("the raw layer counts chunks against the upgrade request's flow, the bytes after the 101 included", () => {
    const stack = new LayerStack(new Http1Layer({ authority: 'h' }));
    const cmd = upgradeRequest(2);
    stack.command(cmd);
    expect(types(stack.receive(bytes(`${UPGRADE_101}one`)))).toEqual(['upgrade', 'data']);
    expect(stack.protocol).toBe('raw');
    expect(stack.readPaused).toBe(false);
    expect(types(stack.receive(bytes('two')))).toEqual(['data']);
    expect(stack.readPaused).toBe(true);
    stack.command(update(cmd.streamRef, 1));
    expect(stack.readPaused).toBe(false);
  });

  it('without a flow the raw layer never pauses', () => {
    const stack = new LayerStack(new Http1Layer({ authority: 'h' }));
    stack.command(upgradeRequest());
    stack.receive(bytes(`${UPGRADE_101}one`));
    for (let i = 0; i < 5; i++) stack.receive(bytes('more'));
    expect(stack.readPaused).toBe(false);
  });
});

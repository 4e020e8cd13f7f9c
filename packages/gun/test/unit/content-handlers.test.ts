import { GunError, StreamRef } from '@gunhttp/core';
import type { GunMessage, HeaderList } from '@gunhttp/core';
import { GunErrors } from '../../src/errors.js';
import { ContentHandlerChain } from '../../src/content-handlers/content-handler.js';
import type { ContentHandler, ContentHandlerContext, ContentHandlerSpec } from '../../src/content-handlers/content-handler.js';
import { gunDataHandler } from '../../src/content-handlers/data-handler.js';
import { SseErrors } from '../../src/content-handlers/errors.js';
import { DEFAULT_CONTENT_HANDLERS, validateContentHandlers } from '../../src/content-handlers/options.js';
import { gunSseHandler, isEventStream } from '../../src/content-handlers/sse-handler.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const CONN = { name: 'conn' };
const SSE: HeaderList = [['content-type', 'text/event-stream']];

interface Harness {
  chain: ContentHandlerChain;
  messages: GunMessage[];
  ref: StreamRef;
  ctx: ContentHandlerContext;
}

function start(handlers: readonly ContentHandlerSpec[], headers: HeaderList = [], status = 200): Harness {
  const messages: GunMessage[] = [];
  const ref = new StreamRef();
  const ctx: ContentHandlerContext = { conn: CONN, streamRef: ref, replyTo: 'mailbox', status, headers, deliver: (m) => messages.push(m) };
  return { chain: new ContentHandlerChain(handlers, ctx), messages, ref, ctx };
}

/** A handler that records its calls and answers with `result`. */
function probe(name: string, log: string[], result: 'ok' | 'done' | 'disable', inc = 0, transform = (d: Uint8Array): Uint8Array => d): ContentHandler<string> {
  return {
    init: (ctx, opts) => {
      log.push(`${name}.init ${ctx.status} ${JSON.stringify(opts)}`);
      return result === 'disable' ? undefined : name;
    },
    handle: (fin, data, state) => {
      log.push(`${name}.handle ${fin} ${new TextDecoder().decode(data)}`);
      return result === 'ok' ? { kind: 'ok', data: transform(data), flowInc: inc, state } : { kind: 'done', flowInc: inc, state };
    },
  };
}

describe("the chain (Gun's gun_content_handler)", () => {
  it('runs init in order with the context, the integer status and the options (Gun 1.1)', () => {
    const log: string[] = [];
    start([probe('a', log, 'ok'), [probe('b', log, 'done'), { x: 1 }]], [], 206);
    expect(log).toEqual(['a.init 206 {}', 'b.init 206 {"x":1}']);
  });

  it('ok passes the (transformed) data on; done stops the chain; the increments are summed', () => {
    const log: string[] = [];
    const upper = (d: Uint8Array): Uint8Array => text(new TextDecoder().decode(d).toUpperCase());
    const { chain } = start([probe('a', log, 'ok', 2, upper), probe('b', log, 'done', 3), probe('c', log, 'done', 100)]);
    log.length = 0;
    expect(chain.data(false, text('abc'))).toBe(5);
    expect(log).toEqual(['a.handle false abc', 'b.handle false ABC']);
  });

  it('leaves out the handlers whose init returns undefined (Gun: disable)', () => {
    const log: string[] = [];
    const a = probe('a', log, 'disable');
    const b = probe('b', log, 'done', 1);
    const { chain } = start([a, b]);
    expect(chain.handlers).toEqual([b]);
    log.length = 0;
    expect(chain.data(true, text('x'))).toBe(1);
    expect(log).toEqual(['b.handle true x']);
  });

  it('drops the body when no handler is left, with increment 0', () => {
    const { chain, messages } = start([probe('a', [], 'disable')]);
    expect(chain.data(false, text('x'))).toBe(0);
    expect(chain.data(true, text('y'))).toBe(0);
    expect(messages).toEqual([]);
  });

  it('keeps each handler state between chunks', () => {
    const counter: ContentHandler<number> = {
      init: () => 0,
      handle: (_fin, data, n) => ({ kind: 'ok', data, flowInc: n, state: n + 1 }),
    };
    const { chain } = start([counter]);
    expect([chain.data(false, text('a')), chain.data(false, text('b')), chain.data(true, text('c'))]).toEqual([0, 1, 2]);
  });

  it('is finished after fin; a chunk after it is a caller error (GUN_ERR_BAD_STATE)', () => {
    const { chain } = start([gunDataHandler]);
    expect(chain.finished).toBe(false);
    chain.data(true, text('x'));
    expect(chain.finished).toBe(true);
    expect(() => chain.data(false, text('y'))).toThrow(expect.objectContaining({ code: GunErrors.BAD_STATE, origin: 'local' }));
  });
});

describe("gunDataHandler (Gun's gun_data_h)", () => {
  it('delivers each chunk as a data message with conn, streamRef and fin; increment 1 each', () => {
    const { chain, messages, ref } = start([gunDataHandler]);
    const a = text('hello ');
    expect(chain.data(false, a)).toBe(1);
    expect(chain.data(true, text('world'))).toBe(1);
    expect(messages).toEqual([
      { type: 'data', conn: CONN, streamRef: ref, fin: false, data: text('hello ') },
      { type: 'data', conn: CONN, streamRef: ref, fin: true, data: text('world') },
    ]);
    expect((messages[0] as { data: Uint8Array }).data).toBe(a);
  });

  it('stops the chain (done)', () => {
    const log: string[] = [];
    const { chain } = start([gunDataHandler, probe('after', log, 'done', 5)]);
    expect(chain.data(false, text('x'))).toBe(1);
    expect(log).toEqual(['after.init 200 {}']);
  });
});

describe("gunSseHandler (Gun's gun_sse_h, sse_SUITE)", () => {
  it.each([
    'text/event-stream', 'text/event-stream;encoding=UTF-8', 'text/event-stream; charset=utf-8', 'Text/Event-Stream',
    ' text/event-stream ', 'text/event-stream\t;x=y',
  ])('activates for content-type %j (parameters ignored)', (type) => {
    expect(isEventStream(type)).toBe(true);
    expect(start([gunSseHandler], [['content-type', type]]).chain.handlers).toEqual([gunSseHandler]);
  });

  it.each([undefined, 'text/plain', 'text/event-streams', 'text/event', 'application/json; x=text/event-stream', ''])(
    'disables itself for content-type %j: the next handler gets the body',
    (type) => {
      const headers: HeaderList = type === undefined ? [] : [['content-type', type]];
      const { chain, messages } = start([gunSseHandler, gunDataHandler], headers);
      expect(chain.handlers).toEqual([gunDataHandler]);
      chain.data(true, text('data: a\n\n'));
      expect(messages.map((m) => m.type)).toEqual(['data']);
    },
  );

  it('uses the first content-type field, as Gun (lists:keyfind)', () => {
    expect(start([gunSseHandler], [['content-type', 'text/plain'], ['content-type', 'text/event-stream']]).chain.handlers).toEqual([]);
  });

  it('delivers each event as an sse message, then fin; one flow per message', () => {
    const { chain, messages, ref } = start([gunSseHandler, gunDataHandler], SSE);
    expect(chain.data(false, text('event: tick\ndata: 1\n\nid: 5\ndata: 2\n\ndata: par'))).toBe(2);
    expect(chain.data(false, text('tial'))).toBe(0);
    expect(chain.data(true, text('\n\n'))).toBe(2);
    expect(messages).toEqual([
      { type: 'sse', conn: CONN, streamRef: ref, event: { lastEventId: '', eventType: 'tick', data: '1' } },
      { type: 'sse', conn: CONN, streamRef: ref, event: { lastEventId: '5', eventType: 'message', data: '2' } },
      { type: 'sse', conn: CONN, streamRef: ref, event: { lastEventId: '5', eventType: 'message', data: 'partial' } },
      { type: 'sse', conn: CONN, streamRef: ref, event: 'fin' },
    ]);
  });

  it('consumes the body: the data handler after it gets nothing', () => {
    const { chain, messages } = start([gunSseHandler, gunDataHandler], SSE);
    chain.data(true, text('data: a\n\n'));
    expect(messages.every((m) => m.type === 'sse')).toBe(true);
  });

  it('a lone id gives an event holding only lastEventId (Gun 1.1, sse_SUITE:lone_id)', () => {
    const { chain, messages } = start([gunSseHandler], SSE);
    chain.data(false, text('id: 1\n\n'));
    expect(messages).toEqual([expect.objectContaining({ type: 'sse', event: { lastEventId: '1' } })]);
  });

  it('an empty body still ends with fin (increment 1)', () => {
    const { chain, messages } = start([gunSseHandler], SSE);
    expect(chain.data(true, new Uint8Array(0))).toBe(1);
    expect(messages).toEqual([expect.objectContaining({ type: 'sse', event: 'fin' })]);
  });

  it('an unfinished event at the end of the body is discarded, fin still sent', () => {
    const { chain, messages } = start([gunSseHandler], SSE);
    expect(chain.data(true, text('data: cut'))).toBe(1);
    expect(messages).toEqual([expect.objectContaining({ event: 'fin' })]);
  });

  it('takes its limits as options and delivers a violation as the stream error, then nothing', () => {
    const { chain, messages, ref } = start([[gunSseHandler, { maxLineLength: 8 }]], SSE);
    expect(chain.data(false, text('data: a\n\ndata: too long\n\n'))).toBe(2);
    expect(chain.data(true, text('data: b\n\n'))).toBe(0);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toEqual({ type: 'sse', conn: CONN, streamRef: ref, event: { lastEventId: '', eventType: 'message', data: 'a' } });
    const error = messages[1] as Extract<GunMessage, { type: 'error' }>;
    expect(error.type).toBe('error');
    expect(error.streamRef).toBe(ref);
    expect(error.reason).toBeInstanceOf(GunError);
    expect(error.reason.code).toBe(SseErrors.LINE_TOO_LONG);
    expect(error.reason.origin).toBe('remote');
  });
});

describe('validateContentHandlers (the contentHandlers option)', () => {
  const PATH = 'options.httpOpts.contentHandlers';

  function rejects(value: unknown): string {
    try {
      validateContentHandlers(value, PATH);
    } catch (e) {
      expect(e).toBeInstanceOf(GunError);
      expect((e as GunError).code).toBe(GunErrors.INVALID_OPTION);
      expect((e as GunError).origin).toBe('local');
      return (e as GunError).message;
    }
    throw new Error(`accepted ${String(value)}`);
  }

  it("defaults to Gun's [gun_data_h]", () => {
    expect(validateContentHandlers(undefined, PATH)).toBe(DEFAULT_CONTENT_HANDLERS);
    expect(DEFAULT_CONTENT_HANDLERS).toEqual([[gunDataHandler, {}]]);
  });

  it('makes the options of bare handlers explicit and keeps given ones', () => {
    const custom: ContentHandler = { init: () => 1, handle: (_f, data, s) => ({ kind: 'ok', data, flowInc: 0, state: s }) };
    const opts = { maxDataSize: 10 };
    expect(validateContentHandlers([custom, [gunSseHandler, opts], gunDataHandler], PATH)).toEqual([[custom, {}], [gunSseHandler, opts], [gunDataHandler, {}]]);
  });

  it.each([
    ['an empty list (Gun rejects it)', [], PATH],
    ['not a list', gunDataHandler, PATH],
    ['a name instead of a handler', ['gun_data_h'], `${PATH}[0]`],
    ['a handler without handle', [{ init: () => 1 }], `${PATH}[0]`],
    ['a pair with options that are not an object', [[gunSseHandler, 5]], `${PATH}[0][1]`],
    ['a triple', [[gunSseHandler, {}, {}]], `${PATH}[0]`],
    ['an unknown SSE option', [gunDataHandler, [gunSseHandler, { maxLines: 1 }]], `${PATH}[1][1].maxLines`],
    ['a non-positive SSE limit', [[gunSseHandler, { maxLineLength: 0 }]], `${PATH}[0][1].maxLineLength`],
    ['a fractional SSE limit', [[gunSseHandler, { maxDataSize: 1.5 }]], `${PATH}[0][1].maxDataSize`],
  ])('rejects %s with GUN_ERR_INVALID_OPTION naming %s', (_name, value, path) => {
    expect(rejects(value)).toContain(`${path}:`);
  });
});

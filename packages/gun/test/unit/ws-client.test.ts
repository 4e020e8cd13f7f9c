import { GunError } from '@gunhttp/core';
import { gunWsHandler } from '@gunhttp/tunnel';
import { GunErrors, Mailbox } from '../../src/index.js';
import { toFrames, validateWsOpts } from '../../src/ws-client.js';

function thrown(fn: () => unknown): GunError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GunError) return e;
    throw e;
  }
  throw new Error('nothing was thrown');
}

describe('validateWsOpts (Gun ws_opts, camelCased)', () => {
  it('accepts every key with a good value', () => {
    const opts = {
      compress: true, protocols: [['chat', gunWsHandler]] as const, defaultProtocol: gunWsHandler, userOpts: { any: 1 }, keepalive: Infinity,
      silencePings: false, closingTimeout: 0, flow: 1, replyTo: new Mailbox(), maxFrameSize: 1, maxMessageSize: 2 ** 30, invalidRequestHeaders: 'ignore' as const,
    };
    expect(validateWsOpts(opts)).toBe(opts);
    expect(validateWsOpts(undefined)).toEqual({});
    expect(validateWsOpts({ replyTo: () => undefined, keepalive: 1 })).toBeDefined();
  });

  it.each([
    ['not an object', 'x', 'wsOpts'],
    ['an unknown key', { compresss: true }, 'wsOpts.compresss'],
    ['compress not a boolean', { compress: 'yes' }, 'wsOpts.compress'],
    ['a subprotocol that is not a token', { protocols: [['a b', gunWsHandler]] }, 'wsOpts.protocols'],
    ['a subprotocol without a handler', { protocols: [['a', {}]] }, 'wsOpts.protocols'],
    ['protocols given as names only', { protocols: ['a'] }, 'wsOpts.protocols'],
    ['a defaultProtocol without handle', { defaultProtocol: { init: () => 0 } }, 'wsOpts.defaultProtocol'],
    ['keepalive 0', { keepalive: 0 }, 'wsOpts.keepalive'],
    ['silencePings not a boolean', { silencePings: 1 }, 'wsOpts.silencePings'],
    ['a negative closingTimeout', { closingTimeout: -1 }, 'wsOpts.closingTimeout'],
    ['flow 0', { flow: 0 }, 'wsOpts.flow'],
    ['a replyTo that is neither a mailbox nor a function', { replyTo: 'me' }, 'wsOpts.replyTo'],
    ['maxFrameSize 0', { maxFrameSize: 0 }, 'wsOpts.maxFrameSize'],
    ['maxMessageSize 1.5', { maxMessageSize: 1.5 }, 'wsOpts.maxMessageSize'],
    ['invalidRequestHeaders neither raise nor ignore', { invalidRequestHeaders: 'skip' }, 'wsOpts.invalidRequestHeaders'],
  ])('rejects %s with GUN_ERR_INVALID_OPTION naming the key', (_name, opts, key) => {
    const e = thrown(() => validateWsOpts(opts));
    expect([e.code, e.origin]).toEqual([GunErrors.INVALID_OPTION, 'local']);
    expect(e.message).toContain(`${key}:`);
  });
});

describe('toFrames (Gun ws_send frames)', () => {
  it('takes one frame or a list, in order', () => {
    const close = { type: 'close', code: 1000, reason: 'bye' } as const;
    expect(toFrames(close)).toEqual([close]);
    const list = [{ type: 'text', data: 'a' }, { type: 'binary', data: Uint8Array.of(1) }, { type: 'ping' }, { type: 'pong', data: Uint8Array.of(2) }, { type: 'close' }] as const;
    expect(toFrames(list)).toEqual(list);
  });

  it.each([
    ['a text frame with bytes', { type: 'text', data: new Uint8Array(1) }],
    ['a binary frame with a string', { type: 'binary', data: 'x' }],
    ['a ping with a string', { type: 'ping', data: 'x' }],
    ['a close with a fractional code', { type: 'close', code: 1000.5 }],
    ['a close with a non-string reason', { type: 'close', reason: 1 }],
    ['an unknown type', { type: 'continuation' }],
    ['a list holding null', [{ type: 'text', data: 'ok' }, null]],
  ])('rejects %s with GUN_ERR_BAD_ARGUMENT', (_name, frames) => {
    expect(thrown(() => toFrames(frames as never)).code).toBe('GUN_ERR_BAD_ARGUMENT');
  });
});

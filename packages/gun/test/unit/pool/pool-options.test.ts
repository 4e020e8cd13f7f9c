import { Mailbox } from '@gunhttp/core';
import type { GunEventHandler } from '@gunhttp/core';
import { GunErrors, MAX_POOL_SIZE } from '../../../src/index.js';
import type { ConnMessage } from '../../../src/index.js';
import { DEFAULT_SETUP, pooledConnOptions, resolvePoolOptions } from '../../../src/pool/pool-options.js';

const invalid = expect.objectContaining({ code: GunErrors.INVALID_OPTION });

describe('resolvePoolOptions (Gun gun_pool:opts())', () => {
  it("applies Gun's defaults: scope 'default', 8 connections, the default setup", () => {
    expect(resolvePoolOptions(undefined)).toEqual({ connOpts: {}, scope: 'default', size: 8, setupFun: DEFAULT_SETUP });
  });

  it(`accepts a size of ${MAX_POOL_SIZE} and refuses ${MAX_POOL_SIZE + 1}`, () => {
    expect(resolvePoolOptions({ size: MAX_POOL_SIZE }).size).toBe(MAX_POOL_SIZE);
    expect(() => resolvePoolOptions({ size: MAX_POOL_SIZE + 1 })).toThrow(invalid);
  });

  it.each([
    ['an unknown key', { sizes: 2 }],
    ['a size of 0', { size: 0 }],
    ['a fractional size', { size: 1.5 }],
    ['an empty scope', { scope: '' }],
    ['a scope that is not a string', { scope: 1 }],
    ['connOpts that are not an object', { connOpts: [] }],
    ['an owner in connOpts', { connOpts: { owner: new Mailbox() } }],
    ['an eventHandler in connOpts that is not an object', { connOpts: { eventHandler: 'h' } }],
    ['a setupFun without fn', { setupFun: { initial: 0 } }],
    ['a setupFun without initial', { setupFun: { fn: () => ({ setup: 0 }) } }],
    ['options that are not an object', 'x'],
  ])('rejects %s with GUN_ERR_INVALID_OPTION', (_name, opts) => {
    expect(() => resolvePoolOptions(opts)).toThrow(invalid);
  });

  it('the default setup is up with the protocol of the up message, and waits otherwise', () => {
    const up = { type: 'up', conn: undefined, protocol: 'http2' } as unknown as ConnMessage;
    const other = { type: 'notify', kind: 'settingsChanged', settings: {} } as unknown as ConnMessage;
    expect(DEFAULT_SETUP.fn(undefined as never, up, undefined)).toEqual({ up: 'http2', meta: {} });
    expect(DEFAULT_SETUP.fn(undefined as never, other, 7)).toEqual({ setup: 7 });
  });
});

describe('pooledConnOptions', () => {
  const owner = new Mailbox<ConnMessage>();
  const handler: GunEventHandler = {};

  it('sets the owner and event handler and turns on notifySettingsChanged in http2Opts', () => {
    const opts = pooledConnOptions({ retry: 1, http2Opts: { keepalive: 1000 } }, owner, handler);
    expect(opts).toMatchObject({ retry: 1, owner, eventHandler: handler, http2Opts: { keepalive: 1000, notifySettingsChanged: true } });
  });

  it('turns it on in every { http2 } entry of protocols too (they replace http2Opts)', () => {
    const opts = pooledConnOptions({ transport: 'tls', protocols: ['http', { http2: { notifySettingsChanged: false } }] }, owner, handler);
    expect(opts.protocols).toEqual(['http', { http2: { notifySettingsChanged: true } }]);
    expect(opts.http2Opts).toEqual({ notifySettingsChanged: true });
  });

  it('leaves ill-typed values for open() to reject', () => {
    const opts = pooledConnOptions({ http2Opts: 3 as never, protocols: 'http' as never }, owner, handler);
    expect(opts.http2Opts).toBe(3);
    expect(opts.protocols).toBe('http');
  });
});

import { GunError } from '@gunhttp/core';
import { GunErrors, open } from '../../src/index.js';
import { resolveOptions } from '../../src/options.js';

function invalid(options: unknown): string {
  try {
    open('127.0.0.1', 1, options as never);
  } catch (e) {
    expect(e).toBeInstanceOf(GunError);
    expect((e as GunError).code).toBe(GunErrors.INVALID_OPTION);
    return (e as GunError).message;
  }
  throw new Error('open() accepted invalid options');
}

describe('open() option validation (Gun: {error, {options, Opt}})', () => {
  it.each([
    [{ nope: 1 }, 'options.nope'],
    [{ retry: -1 }, 'options.retry'],
    [{ retry: 1.5 }, 'options.retry'],
    [{ connectTimeout: 'soon' }, 'options.connectTimeout'],
    [{ transport: 'quic' }, 'options.transport'],
    [{ httpOpts: { keepalive: 0 } }, 'options.httpOpts.keepalive'],
    [{ httpOpts: { version: 'HTTP/2' } }, 'options.httpOpts.version'],
    [{ httpOpts: { bogus: true } }, 'options.httpOpts.bogus'],
    [{ protocols: ['spdy'] }, 'options.protocols'],
    [{ protocols: [{ http: { closingTimeout: -5 } }] }, 'options.protocols[0].http.closingTimeout'],
    [{ retryFun: 5 }, 'options.retryFun'],
    [{ http2Opts: { keepalive: 0 } }, 'options.http2Opts.keepalive'],
    [{ http2Opts: { keepaliveTolerance: -1 } }, 'options.http2Opts.keepaliveTolerance'],
    [{ http2Opts: { nope: 1 } }, 'options.http2Opts.nope'],
    [{ http2Opts: { initialStreamWindowSize: 2 ** 31 } }, 'options.http2Opts'],
    [{ protocols: ['http2', 'http'] }, 'options.protocols'],
    [{ protocols: [] }, 'options.protocols'],
    [{ transport: 'tls', protocols: ['http', 'http'] }, 'options.protocols[1]'],
    [{ protocols: [{ http2: { prefaceTimeout: 'soon' } }] }, 'options.protocols[0].http2.prefaceTimeout'],
    [{ owner: {} }, 'options.owner'],
  ])('rejects %j naming %s', (options, name) => {
    expect(invalid(options)).toContain(name);
  });

  it('rejects a bad port or host before anything else', () => {
    expect(() => open('127.0.0.1', 0)).toThrow(GunError);
    expect(() => open('', 80)).toThrow(GunError);
  });

  it("applies Gun's defaults: retry 5, retryTimeout 5000, timeouts infinite", () => {
    const o = resolveOptions(undefined, 80);
    expect(o).toMatchObject({ retry: 5, retryTimeout: 5000, connectTimeout: Infinity, domainLookupTimeout: Infinity, tlsHandshakeTimeout: Infinity, transport: 'tcp' });
  });

  it("defaults protocols to ['http2', 'http'] over TLS and ['http'] over TCP (Gun §2.9)", () => {
    expect(resolveOptions({}, 443).protocols).toEqual(['http2', 'http']);
    expect(resolveOptions({}, 80).protocols).toEqual(['http']);
    expect(resolveOptions({ protocols: ['http2'] }, 80).protocols).toEqual(['http2']);
  });

  it("applies Gun's HTTP/2 defaults and takes per-protocol options over http2Opts", () => {
    expect(resolveOptions({}, 443).http2Opts).toMatchObject({ closingTimeout: 15000, keepalive: Infinity, keepaliveTolerance: undefined, prefaceTimeout: 5000, settingsTimeout: 5000, notifySettingsChanged: false });
    const o = resolveOptions({ http2Opts: { keepalive: 1000 }, protocols: [{ http2: { keepalive: 50, initialStreamWindowSize: 65535 } }] }, 80);
    expect(o.http2Opts).toMatchObject({ keepalive: 50, codec: { initialStreamWindowSize: 65535 } });
  });

  it('defaults to TLS on port 443 and TCP elsewhere (gun:default_transport/1)', () => {
    expect(resolveOptions({}, 443).transport).toBe('tls');
    expect(resolveOptions({}, 8443).transport).toBe('tcp');
    expect(resolveOptions({ transport: 'tls' }, 80).transport).toBe('tls');
  });
});

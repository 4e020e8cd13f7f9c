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

  it('defaults to TLS on port 443 and TCP elsewhere (gun:default_transport/1)', () => {
    expect(resolveOptions({}, 443).transport).toBe('tls');
    expect(resolveOptions({}, 8443).transport).toBe('tcp');
    expect(resolveOptions({ transport: 'tls' }, 80).transport).toBe('tls');
  });
});

import { parseContentLength, parseStatus, validatePromisedRequest, validateRequestHeaders, validateResponseHeaders } from '../../src/header-validation.js';

describe('header validation (RFC 9113 §8.2, §8.3)', () => {
  it('parses :status of 100..599 only', () => {
    expect([parseStatus('100'), parseStatus('599'), parseStatus('099'), parseStatus('600'), parseStatus('2000'), parseStatus(undefined)])
      .toEqual([100, 599, undefined, undefined, undefined, undefined]);
  });

  it('returns the status of a valid response', () => {
    expect(validateResponseHeaders([[':status', '204'], ['x', '']])).toBe(204);
  });

  it('parses agreeing content-length values and rejects disagreeing ones', () => {
    expect(parseContentLength(['5', '5, 5'])).toBe(5);
    expect(parseContentLength(['5', '6'])).toBeUndefined();
    expect(parseContentLength(['-1'])).toBeUndefined();
  });

  it('requires :method, :scheme and a non-empty :path in requests; CONNECT only :authority', () => {
    expect(validateRequestHeaders([[':method', 'GET'], [':scheme', 'https'], [':path', '/']], { connectProtocol: false })).toEqual({ method: 'GET' });
    expect(typeof validateRequestHeaders([[':method', 'GET'], [':scheme', 'https']], { connectProtocol: false })).toBe('string');
    expect(validateRequestHeaders([[':method', 'CONNECT'], [':authority', 'a:1']], { connectProtocol: false })).toEqual({ method: 'CONNECT' });
  });

  it('accepts only safe, complete promised requests (§8.4)', () => {
    const base: Array<[string, string]> = [[':scheme', 'https'], [':authority', 'a'], [':path', '/']];
    expect(validatePromisedRequest([[':method', 'GET'], ...base])).toBeUndefined();
    expect(validatePromisedRequest([[':method', 'HEAD'], ...base])).toBeUndefined();
    expect(typeof validatePromisedRequest([[':method', 'DELETE'], ...base])).toBe('string');
    expect(typeof validatePromisedRequest([[':method', 'GET'], [':scheme', 'https'], [':path', '/']])).toBe('string');
  });
});

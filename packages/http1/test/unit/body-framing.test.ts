import { parseContentLength, responseFraming } from '../../src/body-framing.js';

describe('parseContentLength', () => {
  it('is undefined without the field and the common value otherwise', () => {
    expect(parseContentLength([])).toMatchObject({ kind: 'ok', value: undefined });
    expect(parseContentLength([['content-length', ' 007 '], ['content-length', '7,7']])).toMatchObject({ kind: 'ok', value: 7 });
    expect(parseContentLength([['content-length', '7'], ['content-length', '8']]).kind).toBe('error');
  });
});

describe('responseFraming (RFC 9112 §6.3)', () => {
  const head = (headers: Array<[string, string]>, status = 200, version: 'HTTP/1.0' | 'HTTP/1.1' = 'HTTP/1.1') => ({ version, status, reason: '', headers });
  it.each([
    { name: 'HEAD', method: 'HEAD', h: head([['content-length', '5']]), kind: 'none' },
    { name: '304', method: 'GET', h: head([['transfer-encoding', 'chunked']], 304), kind: 'none' },
    { name: 'TE chunked with CL', method: 'GET', h: head([['content-length', 'x'], ['transfer-encoding', 'chunked']]), kind: 'chunked' },
    { name: 'TE with parameters', method: 'GET', h: head([['transfer-encoding', 'foo;a=b']]), kind: 'close' },
    { name: 'HTTP/1.0 with TE', method: 'GET', h: head([['transfer-encoding', 'chunked']], 200, 'HTTP/1.0'), kind: 'close' },
    { name: 'CL', method: 'GET', h: head([['content-length', '3']]), kind: 'length' },
    { name: 'nothing', method: 'GET', h: head([]), kind: 'close' },
  ])('$name → $kind', ({ method, h, kind }) => {
    expect(responseFraming(method, h)).toMatchObject({ kind: 'ok', value: { kind } });
  });
});

import { Http1Errors } from '../../src/index.js';
import { connWith, ev, expectResponse } from '../helpers.js';

const make = connWith();
const head = (fields: string): string => `HTTP/1.1 204 No Content\r\n${fields}\r\n`;
const ok = (headers: Array<[string, string]>) => [ev.start(), ev.response(204, headers, true, { reason: 'No Content' })];

describe('RFC 9112 §5 field lines', () => {
  it('lowercases names, strips OWS around values and keeps order and duplicates (§5, §5.1)', () => {
    expectResponse(make, head('Content-Type:text/plain\r\nX-A:  1 \t\r\nx-a: 2\r\nEmpty:\r\nSpaces:   \r\n'), ok([
      ['content-type', 'text/plain'], ['x-a', '1'], ['x-a', '2'], ['empty', ''], ['spaces', ''],
    ]));
  });

  it('keeps inner whitespace, HTAB and obs-text octets of values as latin1 (RFC 9110 §5.5)', () => {
    expectResponse(make, head('x: a  b\tc \xff\xe9\r\n'), ok([['x', 'a  b\tc \xff\xe9']]));
  });

  it('keeps colons inside values', () => {
    expectResponse(make, head('location: http://a:1/b\r\n'), ok([['location', 'http://a:1/b']]));
  });

  it('accepts mixed CRLF and bare LF line endings (§2.2)', () => {
    expectResponse(make, 'HTTP/1.1 204 No Content\na: 1\r\nb: 2\n\r\n', ok([['a', '1'], ['b', '2']]));
  });

  it.each([
    { name: 'obs-fold with SP', fields: 'a: 1\r\n  continued\r\n', code: Http1Errors.OBS_FOLD },
    { name: 'obs-fold with HTAB', fields: 'a: 1\r\n\tcontinued\r\n', code: Http1Errors.OBS_FOLD },
    { name: 'whitespace before the first field', fields: ' a: 1\r\n', code: Http1Errors.OBS_FOLD },
    { name: 'whitespace between name and colon', fields: 'a : 1\r\n', code: Http1Errors.INVALID_FIELD_NAME },
    { name: 'an empty name', fields: ': 1\r\n', code: Http1Errors.INVALID_FIELD_NAME },
    { name: 'a name that is not a token', fields: 'a(b): 1\r\n', code: Http1Errors.INVALID_FIELD_NAME },
    { name: 'a line without a colon', fields: 'nocolon\r\n', code: Http1Errors.INVALID_FIELD_LINE },
    { name: 'a NUL in a value', fields: 'a: x\x00y\r\n', code: Http1Errors.INVALID_FIELD_VALUE },
    { name: 'a DEL in a value', fields: 'a: x\x7fy\r\n', code: Http1Errors.INVALID_FIELD_VALUE },
    { name: 'a bare CR in a value', fields: 'a: x\ry\r\n', code: Http1Errors.BARE_CR },
    { name: 'a bare CR in a name', fields: 'a\rb: 1\r\n', code: Http1Errors.BARE_CR },
  ])('rejects $name', ({ fields, code }) => {
    expectResponse(make, head(fields), [ev.start(), ev.error(code)]);
  });

  it('keeps the events decoded before a violation in the same chunk', () => {
    const conn = connWith([{}, {}])();
    const events = conn.receive(Uint8Array.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\nbad line\r\n\r\n', (c) => c.charCodeAt(0)));
    expect(events.map((e) => e.type)).toEqual(['responseStart', 'response', 'responseStart', 'error']);
    expect(conn.state).toBe('error');
    expect(conn.receive(Uint8Array.of(1, 2, 3))).toEqual([]);
  });
});

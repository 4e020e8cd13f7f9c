import { Http1Errors } from '../../src/index.js';
import { connWith, ev, expectResponse } from '../helpers.js';

const make = connWith();

describe('RFC 9112 §4 status line', () => {
  it.each([
    { name: 'HTTP/1.1 with a reason', line: 'HTTP/1.1 200 OK', status: 200, reason: 'OK', version: 'HTTP/1.1' as const },
    { name: 'HTTP/1.0', line: 'HTTP/1.0 200 OK', status: 200, reason: 'OK', version: 'HTTP/1.0' as const },
    { name: 'an empty reason after the space', line: 'HTTP/1.1 404 ', status: 404, reason: '', version: 'HTTP/1.1' as const },
    { name: 'no space and reason after the code (tolerated)', line: 'HTTP/1.1 500', status: 500, reason: '', version: 'HTTP/1.1' as const },
    { name: 'a reason with spaces, HTAB and obs-text', line: 'HTTP/1.1 299 It \tis fine\xe9', status: 299, reason: 'It \tis fine\xe9', version: 'HTTP/1.1' as const },
    { name: 'a code up to 999', line: 'HTTP/1.1 999 X', status: 999, reason: 'X', version: 'HTTP/1.1' as const },
    { name: 'a higher minor version read as 1.1 (RFC 9110 §2.5)', line: 'HTTP/1.2 200 OK', status: 200, reason: 'OK', version: 'HTTP/1.1' as const },
  ])('accepts $name', ({ line, status, reason, version }) => {
    expectResponse(make, `${line}\r\ncontent-length: 0\r\n\r\n`, [
      ev.start(),
      ev.response(status, [['content-length', '0']], true, { reason, version }),
    ]);
  });

  it.each([
    { name: 'a lowercase protocol name', line: 'http/1.1 200 OK' },
    { name: 'HTTP/2', line: 'HTTP/2.0 200 OK' },
    { name: 'a missing minor version', line: 'HTTP/1 200 OK' },
    { name: 'two spaces', line: 'HTTP/1.1  200 OK' },
    { name: 'a two-digit code', line: 'HTTP/1.1 20 OK' },
    { name: 'a four-digit code', line: 'HTTP/1.1 2000 OK' },
    { name: 'a code below 100', line: 'HTTP/1.1 099 OK' },
    { name: 'a letter in the code', line: 'HTTP/1.1 2x0 OK' },
    { name: 'a control character in the reason', line: 'HTTP/1.1 200 O\x01K' },
    { name: 'an empty line', line: '' },
    { name: 'garbage', line: 'SSH-2.0-OpenSSH' },
  ])('rejects $name with H1_ERR_INVALID_STATUS_LINE', ({ line }) => {
    expectResponse(make, `${line}\r\n\r\n`, [ev.start(), ev.error(Http1Errors.INVALID_STATUS_LINE)]);
  });

  it('rejects a bare CR in the status line (RFC 9112 §2.2)', () => {
    expectResponse(make, 'HTTP/1.1 200 O\rK\r\n\r\n', [ev.start(), ev.error(Http1Errors.BARE_CR)]);
  });

  it('accepts bare LF line endings (RFC 9112 §2.2 allows a recipient to)', () => {
    expectResponse(make, 'HTTP/1.1 200 OK\ncontent-length: 2\n\nhi', [
      ev.start(),
      ev.response(200, [['content-length', '2']], false),
      ev.data('hi', true),
    ]);
  });
});

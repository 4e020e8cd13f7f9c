import { authorityOf } from '../../src/index.js';

describe('host / :authority (RFC 9110 §7.2, Gun rfc7230_SUITE)', () => {
  it.each([
    ['example.org', 80, 'tcp', 'example.org'],
    ['example.org', 443, 'tls', 'example.org'],
    ['example.org', 8080, 'tcp', 'example.org:8080'],
    ['example.org', 443, 'tcp', 'example.org:443'],
    ['example.org', 80, 'tls', 'example.org:80'],
    ['::1', 8080, 'tcp', '[::1]:8080'],
    ['::1', 443, 'tls', '[::1]'],
    ['127.0.0.1', 80, 'tcp', '127.0.0.1'],
  ] as const)('%s port %d over %s is %s', (host, port, transport, expected) => {
    expect(authorityOf(host, port, transport)).toBe(expected);
  });
});

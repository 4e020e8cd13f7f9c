import { defaultPath, domainMatch, pathMatch } from '../../src/index.js';

describe('RFC 6265bis §5.1.3 domain matching', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['www.example.com', 'example.com', true],
    ['a.b.example.com', 'example.com', true],
    ['wwwexample.com', 'example.com', false],
    ['example.com', 'www.example.com', false],
    ['127.0.0.1', '127.0.0.1', true],
    ['1.2.3.4', '2.3.4', false],
    ['[::1]', '[::1]', true],
  ])('domainMatch(%j, %j) is %j', (host, domain, expected) => {
    expect(domainMatch(host, domain)).toBe(expected);
  });
});

describe('RFC 6265bis §5.1.4 paths and path-match', () => {
  it.each([
    ['', '/'],
    ['relative', '/'],
    ['/', '/'],
    ['/a', '/'],
    ['/a/', '/a'],
    ['/a/b', '/a'],
    ['/a/b/c', '/a/b'],
    ['//', '/'],
  ])('default-path of %j is %j', (path, expected) => {
    expect(defaultPath(path)).toBe(expected);
  });

  it.each([
    ['/', '/', true],
    ['/a', '/', true],
    ['/a', '/a', true],
    ['/a/b', '/a', true],
    ['/a/', '/a', true],
    ['/ab', '/a', false],
    ['/a/b', '/a/', true],
    ['/a', '/a/', false],
    ['/', '/a', false],
    ['/A', '/a', false],
    ['/a/b/c', '/a/b', true],
  ])('pathMatch(request %j, cookie %j) is %j', (requestPath, cookiePath, expected) => {
    expect(pathMatch(requestPath, cookiePath)).toBe(expected);
  });
});

// The header lists of one page load over one HTTP/2 connection, as a browser sends them and a
// server answers: a document, then its style sheets, scripts, fonts, images and API calls, in the
// order a browser requests them. Requests share one compression context, responses another.
type HeaderList = Array<[string, string]>;

type Kind = 'document' | 'style' | 'script' | 'font' | 'image' | 'api';

/** Path and kind of each request, in order. */
const PAGE: ReadonlyArray<readonly [string, Kind]> = [
  ['/', 'document'],
  ['/static/css/main.5f3a9c1e.css', 'style'],
  ['/static/css/vendor.b81d2f44.css', 'style'],
  ['/static/js/runtime.0c1e7a2b.js', 'script'],
  ['/static/js/vendor.9d4e3f21.js', 'script'],
  ['/static/js/main.7a6b5c4d.js', 'script'],
  ['/static/fonts/inter-var.woff2', 'font'],
  ['/static/fonts/inter-var-italic.woff2', 'font'],
  ['/images/logo.svg', 'image'],
  ['/images/hero-1600w.avif', 'image'],
  ['/images/products/4411-thumb.webp', 'image'],
  ['/images/products/4412-thumb.webp', 'image'],
  ['/images/products/4413-thumb.webp', 'image'],
  ['/api/v2/session', 'api'],
  ['/api/v2/cart?include=items,totals', 'api'],
  ['/api/v2/recommendations?limit=12&context=home', 'api'],
  ['/api/v2/i18n/en-US.json', 'api'],
  ['/favicon.ico', 'image'],
  ['/api/v2/events?batch=1', 'api'],
  ['/products/4411-trail-running-shoe', 'document'],
];

const ACCEPT: Record<Kind, string> = {
  document: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8',
  style: 'text/css,*/*;q=0.1',
  script: '*/*',
  font: '*/*',
  image: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  api: 'application/json, text/plain, */*',
};

const DEST: Record<Kind, string> = { document: 'document', style: 'style', script: 'script', font: 'font', image: 'image', api: 'empty' };

const CONTENT_TYPE: Record<Kind, string> = {
  document: 'text/html; charset=utf-8',
  style: 'text/css',
  script: 'application/javascript',
  font: 'font/woff2',
  image: 'image/webp',
  api: 'application/json; charset=utf-8',
};

const AUTHORITY = 'www.shop.example.com';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const COOKIE = 'sid=3f1c9e2a7b6d4e8f9a0b1c2d3e4f5a6b; _ga=GA1.2.1234567890.1700000000; lang=en-US; cart=7c2e41d9; consent=analytics%3D1%26ads%3D0';

function request(path: string, kind: Kind, i: number): HeaderList {
  const h: HeaderList = [
    [':method', kind === 'api' && path.includes('events') ? 'POST' : 'GET'],
    [':authority', AUTHORITY],
    [':scheme', 'https'],
    [':path', path],
    ['sec-ch-ua', '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"'],
    ['sec-ch-ua-mobile', '?0'],
    ['sec-ch-ua-platform', '"Linux"'],
    ['user-agent', UA],
    ['accept', ACCEPT[kind]],
    ['sec-fetch-site', 'same-origin'],
    ['sec-fetch-mode', kind === 'document' ? 'navigate' : kind === 'api' ? 'cors' : 'no-cors'],
    ['sec-fetch-dest', DEST[kind]],
  ];
  if (i > 0) h.push(['referer', `https://${AUTHORITY}/`]);
  h.push(['accept-encoding', 'gzip, deflate, br, zstd'], ['accept-language', 'en-US,en;q=0.9,fr;q=0.8']);
  h.push(['cookie', i < 14 ? COOKIE : `${COOKIE}; session_ts=${1732100000 + i}`]);
  if (kind === 'document') h.push(['upgrade-insecure-requests', '1'], ['priority', 'u=0, i']);
  return h;
}

function response(path: string, kind: Kind, i: number): HeaderList {
  const h: HeaderList = [
    [':status', i === 11 || i === 12 ? '304' : '200'],
    ['date', `Wed, 20 Nov 2026 23:00:${String(10 + (i >> 2)).padStart(2, '0')} GMT`],
    ['content-type', CONTENT_TYPE[kind]],
    ['content-length', String(1200 + ((i * 7919) % 90000))],
    ['server', 'nginx/1.27.2'],
  ];
  if (kind === 'document' || kind === 'api') {
    h.push(['cache-control', 'private, no-cache, no-store, must-revalidate'], ['vary', 'Accept-Encoding, Cookie']);
  } else {
    h.push(['cache-control', 'public, max-age=31536000, immutable'], ['vary', 'Accept-Encoding'], ['age', String(3600 + i * 13)]);
    h.push(['etag', `"${(0x5f3a9c1e + i * 104729).toString(16)}-${path.length}"`], ['last-modified', 'Tue, 12 Nov 2026 08:14:51 GMT']);
  }
  if (kind !== 'image' && kind !== 'font') h.push(['content-encoding', 'br']);
  if (kind === 'document') {
    h.push(['set-cookie', `sid=3f1c9e2a7b6d4e8f9a0b1c2d3e4f5a6b; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${1800 + i}`]);
    h.push(['set-cookie', 'lang=en-US; Path=/; Domain=example.com; Max-Age=31536000']);
    h.push(['strict-transport-security', 'max-age=63072000; includeSubDomains; preload'], ['x-content-type-options', 'nosniff']);
    h.push(['content-security-policy', "default-src 'self'; img-src 'self' data: https://cdn.example.com; script-src 'self'"]);
  }
  if (kind === 'api') h.push(['x-request-id', `req-${(0x9a0b1c2d + i * 65537).toString(16)}`], ['access-control-allow-origin', `https://${AUTHORITY}`]);
  return h;
}

/** The ~20 requests of one page load, in order. */
export const REQUESTS: readonly HeaderList[] = PAGE.map(([path, kind], i) => request(path, kind, i));
/** The responses to {@link REQUESTS}, in the same order. */
export const RESPONSES: readonly HeaderList[] = PAGE.map(([path, kind], i) => response(path, kind, i));

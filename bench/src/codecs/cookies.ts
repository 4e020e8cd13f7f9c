// Cookie jars: Set-Cookie parsing alone, parsing and storing, and Cookie header building, ours
// (@gunhttp/cookies) against tough-cookie 6 over the lines of cookie-lines.ts.
import { CookieStore, parseSetCookie } from '@gunhttp/cookies';
import { Cookie, CookieJar } from 'tough-cookie';
import { REQUEST_URLS, SET_COOKIES } from './cookie-lines';
import type { Workload } from './harness';

/** One fixed clock for every call: ours takes it on every call, tough-cookie when storing. */
const NOW = Date.now();
const NOW_DATE = new Date(NOW);
const LINES = SET_COOKIES.map(([, line]) => line);

function fillOurs(): CookieStore {
  const jar = new CookieStore();
  for (const [url, line] of SET_COOKIES) jar.setCookie(line, url, { now: NOW });
  return jar;
}

function fillTheirs(): CookieJar {
  const jar = new CookieJar();
  // ignoreError: a refused cookie is skipped, as ours does, instead of throwing.
  for (const [url, line] of SET_COOKIES) jar.setCookieSync(line, url, { now: NOW_DATE, ignoreError: true });
  return jar;
}

function diff(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => !b.includes(x));
}

/**
 * What each jar stored and sends, compared: differences are reported, not fatal, since the jars
 * follow different drafts (ours refuses SameSite=None without Secure, RFC 6265bis §5.7 step 19).
 * Throws only when a jar sends nothing at all, which would mean the workload measures nothing.
 */
export function checkCookies(): string[] {
  const ours = fillOurs();
  const theirs = fillTheirs();
  const notes = [`Cookies: ${SET_COOKIES.length} Set-Cookie lines from ${new Set(SET_COOKIES.map(([u]) => new URL(u).host)).size} hosts; `
    + `stored: ours ${ours.size}, tough-cookie ${theirs.serializeSync()?.cookies.length ?? '?'}; Cookie headers for ${REQUEST_URLS.length} URLs.`];
  let sent = 0;
  for (const url of REQUEST_URLS) {
    const a = ours.getCookies(url, { now: NOW }).map((c) => c.name);
    const b = theirs.getCookiesSync(url).map((c) => c.key);
    sent += a.length + b.length;
    const onlyOurs = diff(a, b);
    const onlyTheirs = diff(b, a);
    if (onlyOurs.length > 0 || onlyTheirs.length > 0) {
      notes.push(`Cookie names differ for ${url}: only ours [${onlyOurs.join(', ')}], only tough-cookie [${onlyTheirs.join(', ')}]`);
    } else if (a.join() !== b.join()) {
      notes.push(`Cookie order differs for ${url}: ours [${a.join(', ')}], tough-cookie [${b.join(', ')}]`);
    }
  }
  if (sent === 0) throw new Error('Cookie check failed: neither jar sends any cookie');
  return notes;
}

export function cookieWorkloads(): Workload[] {
  const ours = fillOurs();
  const theirs = fillTheirs();
  return [
    {
      id: 'cookie-parse', title: 'Set-Cookie parsing alone', unit: 'lines/s', perIteration: LINES.length, target: 2,
      ours: {
        name: 'gunhttp',
        run: (n) => {
          let ok = 0;
          for (let i = 0; i < n; i++) for (const line of LINES) if (parseSetCookie(line).kind === 'ok') ok++;
          return ok;
        },
      },
      theirs: {
        name: 'tough-cookie',
        run: (n) => {
          let ok = 0;
          for (let i = 0; i < n; i++) for (const line of LINES) if (Cookie.parse(line) !== undefined) ok++;
          return ok;
        },
      },
    },
    {
      id: 'cookie-set', title: 'Set-Cookie parse + store, fresh jar', unit: 'lines/s', perIteration: SET_COOKIES.length, target: 2,
      ours: { name: 'gunhttp', run: (n) => { let s = 0; for (let i = 0; i < n; i++) if (fillOurs() !== ours) s++; return s; } },
      theirs: { name: 'tough-cookie', run: (n) => { let s = 0; for (let i = 0; i < n; i++) if (fillTheirs() !== theirs) s++; return s; } },
    },
    {
      id: 'cookie-get', title: 'Cookie header building, 12 URLs', unit: 'headers/s', perIteration: REQUEST_URLS.length, target: 2,
      ours: {
        name: 'gunhttp',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) for (const url of REQUEST_URLS) s += ours.getCookieString(url, { now: NOW }).length;
          return s;
        },
      },
      theirs: {
        name: 'tough-cookie',
        run: (n) => {
          let s = 0;
          for (let i = 0; i < n; i++) for (const url of REQUEST_URLS) s += theirs.getCookieStringSync(url).length;
          return s;
        },
      },
    },
  ];
}

import { asciiLowercase } from './ascii.js';

/** What the rules need from a request URL (RFC 6265bis §5.1.2, §5.8.3). */
export interface RequestInfo {
  /** Canonicalised host: lowercase, IDNA A-labels, IPv6 in brackets (WHATWG URL host serialisation). */
  readonly host: string;
  /** The URL's path, always starting with `/`, without query or fragment. */
  readonly path: string;
  /** `true` for https and wss: the URL "denotes a secure connection" (RFC 6265bis §5.7 step 13, §5.8.3). */
  readonly secure: boolean;
}

/** The schemes of the "HTTP" API: cookies are only stored from and sent to these. */
const SCHEMES: Readonly<Record<string, boolean>> = { 'http:': false, 'https:': true, 'ws:': false, 'wss:': true };

/**
 * The WHATWG URL parser. `URL.canParse` is not used: Node 20's answers false for some valid
 * non-ASCII hosts that the constructor accepts, so the constructor's exception is the signal.
 */
function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads a request URL (string or WHATWG `URL`). Returns `undefined` when it does not parse, has
 * no host, or its scheme is not http, https, ws or wss.
 */
export function requestInfo(url: string | URL): RequestInfo | undefined {
  const parsed = typeof url === 'string' ? parseUrl(url) : url;
  if (parsed === undefined) return undefined;
  const secure = SCHEMES[parsed.protocol];
  if (secure === undefined || parsed.hostname === '') return undefined;
  const path = parsed.pathname.startsWith('/') ? parsed.pathname : '/';
  return { host: asciiLowercase(parsed.hostname), path, secure };
}

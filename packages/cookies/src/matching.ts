/** Whether a canonical host is an IP address (IPv4 dotted decimal after URL parsing, or bracketed IPv6). */
export function isIpAddress(host: string): boolean {
  if (host.charCodeAt(0) === 0x5b) return true;
  // An IPv4 address ends in a digit: most host names are told apart without the regex.
  const last = host.charCodeAt(host.length - 1);
  return last >= 0x30 && last <= 0x39 && /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Domain matching (RFC 6265bis §5.1.3): `host` equals `domain`, or `domain` is a suffix of
 * `host` preceded by a dot and `host` is a host name, not an IP address.
 */
export function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true;
  return host.endsWith(domain) && host.charCodeAt(host.length - domain.length - 1) === 0x2e && !isIpAddress(host);
}

/**
 * The default-path of a request path (RFC 6265bis §5.1.4): up to, not including, the right-most
 * `/`, or `/` when the path is empty, relative or has a single `/`.
 */
export function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const last = requestPath.lastIndexOf('/');
  return last === 0 ? '/' : requestPath.slice(0, last);
}

/**
 * Path matching (RFC 6265bis §5.1.4): the paths are identical, or `cookiePath` is a prefix of
 * `requestPath` that ends with `/` or is followed by `/` in it.
 */
export function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.charCodeAt(cookiePath.length - 1) === 0x2f || requestPath.charCodeAt(cookiePath.length) === 0x2f;
}

import { getPublicSuffix } from 'tldts';
import { isIpAddress } from './matching.js';

/**
 * Whether a domain is a public suffix ("com", "co.uk", or an unlisted single label such as
 * "localhost" under the list's implicit `*` rule), from the Public Suffix List bundled with
 * tldts. By default only its ICANN section counts; `includePrivate` adds the private section
 * (github.io, ...), as browsers do.
 */
export function isPublicSuffix(domain: string, includePrivate = false): boolean {
  if (domain === '' || isIpAddress(domain)) return false;
  return getPublicSuffix(domain, { allowPrivateDomains: includePrivate, extractHostname: false }) === domain;
}

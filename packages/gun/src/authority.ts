import { isIP } from 'node:net';

/**
 * The authority for `host` / `:authority`: IPv6 in brackets, `:port` omitted for the scheme's
 * default (80 over tcp, 443 over tls), as Gun (RFC 9110 §7.2, §4.2.3).
 */
export function authorityOf(host: string, port: number, transport: 'tcp' | 'tls'): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  const defaultPort = transport === 'tls' ? 443 : 80;
  return port === defaultPort ? h : `${h}:${port}`;
}

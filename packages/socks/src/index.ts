/**
 * `@gunhttp/socks`: the SOCKS5 client handshake (RFC 1928 greeting and CONNECT, RFC 1929
 * username/password) as a sans-I/O machine.
 */
export { Socks5Client } from './client.js';
export type { Socks5ClientOptions, Socks5Auth, Socks5Event, Socks5State } from './client.js';
export { SocksErrors, SOCKS_REPLY_ERRORS } from './errors.js';
export { AddressType, encodeDestinationHost, parseIpv4, parseIpv6, formatAddress } from './address.js';
export type { SocksAddress } from './address.js';
export {
  SOCKS_VERSION, AUTH_VERSION, Method, CMD_CONNECT, encodeGreeting, encodeAuthRequest, encodeConnect,
  parseMethodReply, parseAuthReply, parseConnectReply, replyError,
} from './wire.js';
export type { BoundAddress } from './wire.js';

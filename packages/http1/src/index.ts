/**
 * `@gunhttp/http1`: a sans-I/O HTTP/1.1 client codec (RFC 9112, RFC 9110), Gun's `gun_http`
 * without the sockets. Bytes in, events out; commands in, bytes out.
 *
 * @packageDocumentation
 */
export { Http1ClientConnection } from './connection.js';
export type { Http1State } from './connection.js';
export type { Http1Event, Http1Request, Http1RequestBody } from './types.js';
export type { Http1Options } from './options.js';
export { HTTP1_DEFAULTS } from './options.js';
export { Http1Errors } from './errors.js';
export type { Http1ErrorCode } from './errors.js';

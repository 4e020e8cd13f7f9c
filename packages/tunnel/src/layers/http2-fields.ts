import type { HeaderList } from '@gunhttp/core';
import type { RequestCommand } from '../commands.js';

/*
 * Field sections of the HTTP/2 layer: the request HEADERS Gun builds (gun_http2:prepare_headers,
 * inventory §5.2) and the pseudo-header fields of received blocks (Gun's messages carry none).
 */

/** Connection-specific fields Gun removes from requests (RFC 9113 §8.2.2 forbids them). */
const REMOVED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** A request as the layer sends it. */
export interface PreparedRequest {
  /** The full HEADERS list: `:method`, `:scheme`, `:authority`, `:path`, then the regular fields. */
  readonly fields: HeaderList;
  /** The regular fields alone, as request events report them. */
  readonly regular: HeaderList;
  /** `:authority`: the user's `host` verbatim, else the connection's (Gun §5.2). */
  readonly authority: string;
  /** END_STREAM on the HEADERS: an empty full body, or HEAD (Cowlib forces it). */
  readonly endStream: boolean;
  /** Body octets to send as DATA with END_STREAM after the HEADERS, if any. */
  readonly body: Uint8Array | undefined;
}

/**
 * Builds the HEADERS of a request as Gun does: names lowercased, connection-specific fields and
 * `host` removed (the first `host` becomes `:authority`), and for a full body `content-length`
 * set to its size (in place of the user's, else appended). An empty body is a single HEADERS
 * with END_STREAM, never an empty DATA frame (Gun 2.0).
 */
export function prepareRequest(cmd: RequestCommand, scheme: string, defaultAuthority: string): PreparedRequest {
  let authority: string | undefined;
  let lengthAt = -1;
  const regular: HeaderList = [];
  for (const [rawName, value] of cmd.headers) {
    const name = rawName.toLowerCase();
    if (name === 'host' && authority === undefined) authority = value;
    if (REMOVED.has(name)) continue;
    if (name === 'content-length' && cmd.body !== undefined) {
      if (lengthAt === -1) lengthAt = regular.length;
      else continue;
    }
    regular.push([name, value]);
  }
  const body = cmd.body;
  if (body !== undefined) {
    const length: [string, string] = ['content-length', String(body.length)];
    if (lengthAt === -1) regular.push(length);
    else regular[lengthAt] = length;
  }
  const head = cmd.method === 'HEAD';
  const target = authority ?? defaultAuthority;
  const fields: HeaderList = [[':method', cmd.method], [':scheme', scheme], [':authority', target], [':path', cmd.path], ...regular];
  return {
    fields,
    regular,
    authority: target,
    endStream: head || body?.length === 0,
    body: head || body === undefined || body.length === 0 ? undefined : body,
  };
}

/** The regular fields of a received block (Gun's messages carry no pseudo-header fields). */
export function regularFields(headers: HeaderList): HeaderList {
  return headers[0]?.[0].startsWith(':') === true ? headers.filter(([n]) => !n.startsWith(':')) : headers;
}

/** The value of a pseudo-header field, or '' when absent. */
export function pseudoField(headers: HeaderList, name: string): string {
  for (const [n, v] of headers) {
    if (n === name) return v;
    if (!n.startsWith(':')) break;
  }
  return '';
}

/** A promised request (PUSH_PROMISE, RFC 9113 §8.4) as Gun's `push` message reports it. */
export interface PromisedRequest {
  readonly method: string;
  readonly scheme: string;
  readonly authority: string;
  /** `scheme://authority` + `:path`. */
  readonly uri: string;
  /** The regular fields. */
  readonly headers: HeaderList;
}

/** Reads the pseudo-header fields of a promised request. */
export function promisedRequest(headers: HeaderList): PromisedRequest {
  const scheme = pseudoField(headers, ':scheme');
  const authority = pseudoField(headers, ':authority');
  return {
    method: pseudoField(headers, ':method'), scheme, authority,
    uri: `${scheme}://${authority}${pseudoField(headers, ':path')}`, headers: regularFields(headers),
  };
}

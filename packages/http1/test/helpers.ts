import { coalesceData, expectEventsForAllChunkings } from '@gunhttp/testkit';
import type { ChunkingOptions } from '@gunhttp/testkit';
import { Http1ClientConnection } from '../src/index.js';
import type { Http1Event, Http1Options, Http1Request } from '../src/index.js';

export const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
export const text = (data: Uint8Array): string => String.fromCharCode(...data);

/** A request with defaults: GET / with an empty full body. */
export function req(overrides: Partial<Http1Request> = {}): Http1Request {
  return { method: 'GET', target: '/', authority: 'example.org', headers: [], body: { kind: 'full', data: new Uint8Array(0) }, ...overrides };
}

/** The wire text of everything the connection has to write. */
export function output(conn: Http1ClientConnection): string {
  return conn.takeOutput().map(text).join('');
}

/** A factory of connections that already sent `requests` (output discarded). */
export function connWith(requests: Array<Partial<Http1Request>> = [{}], options?: Http1Options): () => Http1ClientConnection {
  return () => {
    const conn = new Http1ClientConnection(options);
    for (const r of requests) conn.request(req(r));
    conn.takeOutput();
    return conn;
  };
}

/** An event as compared in tests: data as text, errors as their code. */
export type Norm =
  | Exclude<Http1Event, { type: 'data' } | { type: 'error' }>
  | { type: 'data'; id: number; data: string; fin: boolean }
  | { type: 'error'; code: string };

/** Coalesces data events, shows data as latin1 text and errors as codes. */
export function normalize(events: Http1Event[]): Norm[] {
  return coalesceData(events).map((e): Norm => {
    if (e.type === 'data') return { type: 'data', id: e.id, data: text(e.data), fin: e.fin };
    if (e.type === 'error') return { type: 'error', code: e.error.code };
    return e;
  });
}

/** Runs the response bytes through every chunking and compares the normalised events. */
export function expectResponse(
  make: () => Http1ClientConnection,
  wire: string,
  expected: Norm[],
  options: Omit<ChunkingOptions<Http1Event>, 'normalize'> & { trailing?: Uint8Array } = {},
): void {
  expectEventsForAllChunkings(make, bytes(wire), expected, { randomSplits: 10, ...options, normalize });
}

/** Shorthand for the events of a response to request `id`. */
export const ev = {
  start: (id = 1): Norm => ({ type: 'responseStart', id }),
  inform: (status: number, headers: Array<[string, string]> = [], id = 1): Norm => ({ type: 'inform', id, status, headers }),
  response: (status: number, headers: Array<[string, string]>, fin: boolean, extra: { id?: number; reason?: string; version?: 'HTTP/1.0' | 'HTTP/1.1' } = {}): Norm => ({
    type: 'response', id: extra.id ?? 1, status, reason: extra.reason ?? 'OK', version: extra.version ?? 'HTTP/1.1', headers, fin,
  }),
  data: (data: string, fin: boolean, id = 1): Norm => ({ type: 'data', id, data, fin }),
  trailers: (headers: Array<[string, string]>, id = 1): Norm => ({ type: 'trailers', id, headers }),
  upgrade: (status: number, headers: Array<[string, string]>, protocols: string[], id = 1): Norm => ({ type: 'upgrade', id, status, headers, protocols }),
  error: (code: string): Norm => ({ type: 'error', code }),
};

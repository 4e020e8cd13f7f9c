import type { HeaderList } from '@gunhttp/core';

/*
 * Field validation of HTTP/2 messages (RFC 9113 §8.2, §8.3). Functions return the broken rule
 * (a message citing the RFC) or `undefined`; callers turn it into a stream error (received
 * messages, §8.1.1) or a local error (our requests).
 */

/** Connection-specific fields, forbidden in HTTP/2 (RFC 9113 §8.2.2). */
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);
const REQUEST_PSEUDO = new Set([':method', ':scheme', ':authority', ':path', ':protocol']);

/** A field name: no uppercase, no octet 0x00-0x20 or 0x7f-0xff, not empty (RFC 9113 §8.2.1). */
function nameRule(name: string): string | undefined {
  if (name.length === 0) return 'Field names MUST NOT be empty (RFC 9113 §8.2.1)';
  const start = name.charCodeAt(0) === 0x3a ? 1 : 0;
  for (let i = start; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return 'Field names MUST be lowercase (RFC 9113 §8.2.1)';
    if (c <= 0x20 || c >= 0x7f || c === 0x3a) return 'Field names MUST NOT contain controls, space, colon or non-ASCII octets (RFC 9113 §8.2.1)';
  }
  return undefined;
}

/** A field value: no NUL, CR or LF; no leading or trailing space or tab (RFC 9113 §8.2.1). */
function valueRule(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x00 || c === 0x0a || c === 0x0d) return 'Field values MUST NOT contain NUL, CR or LF (RFC 9113 §8.2.1)';
  }
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) {
    return 'Field values MUST NOT start or end with whitespace (RFC 9113 §8.2.1)';
  }
  return undefined;
}

function regularFieldRule(name: string, value: string, request: boolean): string | undefined {
  if (CONNECTION_SPECIFIC.has(name)) return `The connection-specific field ${name} MUST NOT appear (RFC 9113 §8.2.2)`;
  if (name === 'te' && (!request || value !== 'trailers')) return 'TE MUST NOT contain any value other than "trailers" (RFC 9113 §8.2.2)';
  return nameRule(name) ?? valueRule(value);
}

/**
 * Checks names, values, ordering and connection-specific fields; `allowed` says which pseudo
 * fields may appear (none for trailers). Returns the pseudo fields found, or the broken rule.
 */
function scanFields(headers: HeaderList, allowed: ReadonlySet<string>, request: boolean): Map<string, string> | string {
  const pseudo = new Map<string, string>();
  let regular = false;
  for (const [name, value] of headers) {
    if (name.charCodeAt(0) === 0x3a) {
      if (regular) return 'Pseudo-header fields MUST precede regular fields (RFC 9113 §8.3)';
      if (!allowed.has(name)) return `The pseudo-header field ${name} is not allowed here (RFC 9113 §8.3)`;
      if (pseudo.has(name)) return `The pseudo-header field ${name} MUST NOT repeat (RFC 9113 §8.3)`;
      const rule = nameRule(name) ?? valueRule(value);
      if (rule !== undefined) return rule;
      pseudo.set(name, value);
    } else {
      regular = true;
      const rule = regularFieldRule(name, value, request);
      if (rule !== undefined) return rule;
    }
  }
  return pseudo;
}

const STATUS_ONLY = new Set([':status']);
const NO_PSEUDO = new Set<string>();

/** Parses `:status`: three digits, 100 to 599 (RFC 9110 §15). */
export function parseStatus(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-5][0-9][0-9]$/.test(value)) return undefined;
  return Number(value);
}

/** Validates a response header section (RFC 9113 §8.3.2). Returns the status or the broken rule. */
export function validateResponseHeaders(headers: HeaderList): number | string {
  const pseudo = scanFields(headers, STATUS_ONLY, false);
  if (typeof pseudo === 'string') return pseudo;
  const status = parseStatus(pseudo.get(':status'));
  if (status === undefined) return 'A response MUST carry a valid :status (RFC 9113 §8.3.2)';
  if (status === 101) return 'HTTP/2 does not support 101 Switching Protocols (RFC 9113 §8.6)';
  const lengths = headers.filter(([n]) => n === 'content-length').map(([, v]) => v);
  if (lengths.length > 0 && parseContentLength(lengths) === undefined) return 'Invalid content-length (RFC 9110 §8.6)';
  return status;
}

/** Validates trailers: no pseudo-header fields (RFC 9113 §8.1). */
export function validateTrailers(headers: HeaderList): string | undefined {
  const pseudo = scanFields(headers, NO_PSEUDO, false);
  return typeof pseudo === 'string' ? pseudo : undefined;
}

/** The value of content-length fields when they agree and are decimal (RFC 9110 §8.6). */
export function parseContentLength(values: readonly string[]): number | undefined {
  let result: number | undefined;
  for (const raw of values) {
    for (const part of raw.split(',')) {
      const v = part.trim();
      if (!/^[0-9]{1,15}$/.test(v)) return undefined;
      const n = Number(v);
      if (result !== undefined && result !== n) return undefined;
      result = n;
    }
  }
  return result;
}

/** Options of {@link validateRequestHeaders}. */
export interface RequestRules {
  /** Whether the server allowed extended CONNECT (SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, RFC 8441 §3). */
  readonly connectProtocol: boolean;
}

/**
 * Validates a request header section (RFC 9113 §8.3.1, RFC 8441 §4) — our own requests and the
 * requests the server promises. Returns the `:method`, or the broken rule.
 */
export function validateRequestHeaders(headers: HeaderList, rules: RequestRules): { method: string } | string {
  const pseudo = scanFields(headers, REQUEST_PSEUDO, true);
  if (typeof pseudo === 'string') return pseudo;
  const method = pseudo.get(':method');
  if (method === undefined || method === '') return 'A request MUST carry :method (RFC 9113 §8.3.1)';
  if (pseudo.get(':authority')?.includes('@') === true) return ':authority MUST NOT include userinfo (RFC 9113 §8.3.1)';
  const protocol = pseudo.get(':protocol');
  if (protocol !== undefined) {
    if (method !== 'CONNECT') return ':protocol is only allowed with CONNECT (RFC 8441 §4)';
    if (!rules.connectProtocol) return ':protocol needs SETTINGS_ENABLE_CONNECT_PROTOCOL from the server (RFC 8441 §3)';
  }
  if (method === 'CONNECT' && protocol === undefined) {
    if (pseudo.has(':scheme') || pseudo.has(':path')) return 'CONNECT requests MUST omit :scheme and :path (RFC 9113 §8.5)';
    if (!pseudo.has(':authority')) return 'CONNECT requests MUST carry :authority (RFC 9113 §8.5)';
    return { method };
  }
  if (!pseudo.has(':scheme')) return 'A request MUST carry :scheme (RFC 9113 §8.3.1)';
  const path = pseudo.get(':path');
  if (path === undefined || path === '') return 'A request MUST carry a non-empty :path (RFC 9113 §8.3.1)';
  return { method };
}

/** Validates a promised request (RFC 9113 §8.4): a complete, safe and cacheable request without content. */
export function validatePromisedRequest(headers: HeaderList): string | undefined {
  const result = validateRequestHeaders(headers, { connectProtocol: false });
  if (typeof result === 'string') return result;
  if (result.method !== 'GET' && result.method !== 'HEAD') return 'Promised requests MUST be safe and cacheable (RFC 9113 §8.4)';
  if (!headers.some(([n]) => n === ':authority')) return 'Promised requests MUST carry :authority (RFC 9113 §8.4)';
  return undefined;
}

import { GunError, isTchar, ok, parseError } from '@gunhttp/core';
import type { ParseResult } from '@gunhttp/core';
import { WsErrors } from './errors.js';

/**
 * `Sec-WebSocket-Extensions` (RFC 6455 §9.1):
 *
 *   extension-list  = 1#extension
 *   extension       = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 *
 * with optional whitespace around the separators (RFC 9110 §5.6.1, §5.6.3).
 */

/** One parameter; `value` is absent for a bare name such as `client_max_window_bits`. */
export interface ExtensionParam {
  readonly name: string;
  readonly value?: string;
}

/** One extension of the list, with its parameters in order (names lowercased). */
export interface Extension {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
}

class Cursor {
  pos = 0;
  constructor(readonly text: string) {}
  skipOws(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }
  peek(): string | undefined {
    return this.text[this.pos];
  }
  token(): string | null {
    const start = this.pos;
    while (this.pos < this.text.length && isTchar(this.text.charCodeAt(this.pos))) this.pos++;
    return this.pos > start ? this.text.slice(start, this.pos) : null;
  }
  /** quoted-string (RFC 9110 §5.6.4), unescaped; its content must be a token here (RFC 6455 §9.1). */
  quoted(): string | null {
    let out = '';
    for (this.pos++; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos]!;
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\') this.pos++;
      out += this.text[this.pos] ?? '';
    }
    return null;
  }
}

function fail(message: string): ParseResult<never> {
  return parseError(new GunError(WsErrors.INVALID_EXTENSIONS, message, { origin: 'remote', wsCloseCode: 1002 }));
}

function parseParam(c: Cursor): ExtensionParam | null {
  c.skipOws();
  const name = c.token();
  if (name === null) return null;
  c.skipOws();
  if (c.peek() !== '=') return { name: name.toLowerCase() };
  c.pos++;
  c.skipOws();
  const value = c.peek() === '"' ? c.quoted() : c.token();
  if (value === null || value === '' || ![...value].every((ch) => isTchar(ch.charCodeAt(0)))) return null;
  return { name: name.toLowerCase(), value };
}

function parseExtension(c: Cursor): Extension | null {
  c.skipOws();
  const name = c.token();
  if (name === null) return null;
  const params: ExtensionParam[] = [];
  for (c.skipOws(); c.peek() === ';'; c.skipOws()) {
    c.pos++;
    const param = parseParam(c);
    if (param === null) return null;
    params.push(param);
  }
  return { name: name.toLowerCase(), params };
}

/**
 * Parses an extension list (one header value, or several joined with `, `). Empty list elements
 * are skipped as RFC 9110 §5.6.1 asks. Errors are `WS_ERR_INVALID_EXTENSIONS`.
 */
export function parseExtensionList(value: string): ParseResult<Extension[]> {
  const c = new Cursor(value);
  const out: Extension[] = [];
  for (;;) {
    c.skipOws();
    if (c.peek() === ',') {
      c.pos++;
      continue;
    }
    if (c.peek() === undefined) return ok(out, value.length);
    const ext = parseExtension(c);
    if (ext === null) return fail(`Malformed Sec-WebSocket-Extensions element at offset ${c.pos} (RFC 6455 §9.1)`);
    out.push(ext);
    c.skipOws();
    if (c.peek() !== ',' && c.peek() !== undefined) return fail(`Expected ',' at offset ${c.pos} of Sec-WebSocket-Extensions (RFC 6455 §9.1)`);
  }
}

/** Serializes one extension with its parameters (`name; a; b=1`). */
export function formatExtension(ext: Extension): string {
  return [ext.name, ...ext.params.map((p) => (p.value === undefined ? p.name : `${p.name}=${p.value}`))].join('; ');
}

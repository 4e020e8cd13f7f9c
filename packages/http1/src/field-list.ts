import type { HeaderList } from '@gunhttp/core';

/** Strips OWS (SP and HTAB only, RFC 9110 §5.6.3); `String.prototype.trim` would also strip 0xA0. */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * The non-empty elements of the comma-separated list fields named `name` (RFC 9110 §5.6.1),
 * OWS-trimmed and lowercased, across every field of that name, in order.
 */
export function listElements(headers: HeaderList, name: string): string[] {
  const out: string[] = [];
  for (const [n, v] of headers) {
    if (n !== name) continue;
    if (v.indexOf(',') === -1) {
      const element = trimOws(v).toLowerCase();
      if (element !== '') out.push(element);
      continue;
    }
    for (const part of v.split(',')) {
      const element = trimOws(part).toLowerCase();
      if (element !== '') out.push(element);
    }
  }
  return out;
}

/** An empty byte array, shared. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

const DECODE_SLICE = 8192;
const utf8Decoder = new TextDecoder();

/**
 * Decodes octets as ISO-8859-1, one char per octet, so nothing is lost (HTTP field values are
 * octets, RFC 9110 §5.5). `TextDecoder('latin1')` is windows-1252 in WHATWG terms and would remap
 * 0x80-0x9F, so it is not used. Fast path: the native UTF-8 decoder gives the same string when
 * every octet is ASCII, which is known when it returns as many chars as octets and no U+FFFD
 * (a valid multi-octet sequence gives fewer chars, an invalid one gives U+FFFD).
 */
export function latin1Decode(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const view = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
  const text = utf8Decoder.decode(view);
  if (text.length === view.length && text.indexOf('\ufffd') === -1) return text;
  let out = '';
  for (let i = 0; i < view.length; i += DECODE_SLICE) {
    const sub = view.subarray(i, Math.min(view.length, i + DECODE_SLICE));
    out += String.fromCharCode.apply(null, sub as unknown as number[]);
  }
  return out;
}

/**
 * Encodes a string of chars 0-255 as octets. Callers check {@link isLatin1} first; a char above
 * 255 is truncated to its low octet.
 */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Writes a latin1 string into `target` at `offset`; returns the offset after it. */
export function latin1Write(text: string, target: Uint8Array, offset: number): number {
  for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}

/** Whether every char of `text` fits in one octet. */
export function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

const utf8 = new TextEncoder();

/**
 * Turns any string into the latin1 form gunhttp uses for field values: unchanged when every char
 * fits in an octet, otherwise its UTF-8 octets one char each.
 */
export function toLatin1(text: string): string {
  return isLatin1(text) ? text : latin1Decode(utf8.encode(text));
}

/** Bytes of a string: UTF-8 for text bodies. */
export function utf8Encode(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Joins byte arrays into one (one copy). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

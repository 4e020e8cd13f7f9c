/**
 * Incremental UTF-8 validation (RFC 3629 §4, the WHATWG decoder's byte ranges), so text is
 * checked as its fragments arrive and fails fast (RFC 6455 §8.1): overlong forms, surrogates
 * (U+D800..U+DFFF) and code points above U+10FFFF are rejected, and a sequence left open at the
 * end of a message is an error.
 *
 * The state is the number of continuation bytes still expected and the range the next one must
 * fall in (narrower than 0x80..0xBF right after E0, ED, F0 and F4).
 */
export class Utf8Validator {
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;

  /** Checks more bytes; false as soon as they cannot be part of valid UTF-8. */
  push(bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.need === 0) {
        if (b < 0x80) continue;
        if (!this.lead(b)) return false;
      } else {
        if (b < this.lower || b > this.upper) return false;
        this.lower = 0x80;
        this.upper = 0xbf;
        this.need--;
      }
    }
    return true;
  }

  /** Whether the text ends on a character boundary; resets for the next message. */
  end(): boolean {
    const complete = this.need === 0;
    this.reset();
    return complete;
  }

  /** Forgets any open sequence. */
  reset(): void {
    this.need = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }

  private lead(b: number): boolean {
    if (b >= 0xc2 && b <= 0xdf) return this.expect(1, 0x80, 0xbf);
    if (b === 0xe0) return this.expect(2, 0xa0, 0xbf); // no overlong 3-byte forms
    if (b === 0xed) return this.expect(2, 0x80, 0x9f); // no surrogates
    if (b >= 0xe1 && b <= 0xef) return this.expect(2, 0x80, 0xbf);
    if (b === 0xf0) return this.expect(3, 0x90, 0xbf); // no overlong 4-byte forms
    if (b === 0xf4) return this.expect(3, 0x80, 0x8f); // nothing above U+10FFFF
    if (b >= 0xf1 && b <= 0xf3) return this.expect(3, 0x80, 0xbf);
    return false; // 0x80..0xC1 and 0xF5..0xFF never start a character
  }

  private expect(need: number, lower: number, upper: number): true {
    this.need = need;
    this.lower = lower;
    this.upper = upper;
    return true;
  }
}

/** Whether `bytes` is complete, valid UTF-8. */
export function isValidUtf8(bytes: Uint8Array): boolean {
  const v = new Utf8Validator();
  return v.push(bytes) && v.end();
}

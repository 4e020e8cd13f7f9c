import type { HeaderList } from '@gunhttp/core';
import { HpackDecoder, HpackEncoder, isNeverIndexed, markNeverIndexed } from '../../../src/index.js';
import { toHex } from '../../helpers.js';

/** The representation type of the first field of a block (after any size update). */
function firstRepresentation(block: Uint8Array): string {
  const b = block[0]!;
  if (b & 0x80) return 'indexed';
  if ((b & 0xc0) === 0x40) return 'incremental';
  if ((b & 0xf0) === 0x10) return 'never';
  return 'without';
}

describe('HpackEncoder indexing policy (RFC 7541 §6, §7.1.3)', () => {
  it('indexes a repeated field and then refers to it by index', () => {
    const enc = new HpackEncoder();
    expect(firstRepresentation(enc.encode([['x-custom', 'v']]))).toBe('incremental');
    expect(toHex(enc.encode([['x-custom', 'v']]))).toBe('be');
  });

  it.each([
    ['authorization', 'Bearer a-long-token-value-here-0123456789'],
    ['proxy-authorization', 'Basic abc'],
    ['cookie', 'sid=short'],
  ])('never indexes %s (compression-oracle risk)', (name, value) => {
    const enc = new HpackEncoder();
    const block = enc.encode([[name, value]]);
    expect(firstRepresentation(block)).toBe('never');
    expect(firstRepresentation(enc.encode([[name, value]]))).toBe('never');
    expect(isNeverIndexed(new HpackDecoder().decode(block)[0]!)).toBe(true);
  });

  it('indexes a cookie of 20 octets or more, never one of 19', () => {
    expect(firstRepresentation(new HpackEncoder().encode([['cookie', 'a'.repeat(20)]]))).toBe('incremental');
    expect(firstRepresentation(new HpackEncoder().encode([['cookie', 'a'.repeat(19)]]))).toBe('never');
  });

  it('never indexes fields marked by the caller', () => {
    const field: HeaderList[number] = ['x-secret', 'value'];
    markNeverIndexed(field);
    expect(firstRepresentation(new HpackEncoder().encode([field]))).toBe('never');
  });

  it('does not index fields that rarely repeat, nor entries larger than 3/4 of the table', () => {
    expect(firstRepresentation(new HpackEncoder().encode([['content-length', '123']]))).toBe('without');
    expect(firstRepresentation(new HpackEncoder().encode([['x-big', 'a'.repeat(3036)]]))).toBe('without');
    expect(firstRepresentation(new HpackEncoder().encode([['x-big', 'a'.repeat(3035)]]))).toBe('incremental');
  });

  it('signals a table size change at the start of the next block: smallest, then final (§4.2)', () => {
    const enc = new HpackEncoder();
    enc.setMaxTableSize(100);
    enc.setMaxTableSize(2000);
    expect(toHex(enc.encode([[':method', 'GET']]))).toBe('3f453fb10f82');
    expect(toHex(enc.encode([[':method', 'GET']]))).toBe('82');
  });

  it('stays in step with a decoder across evictions', () => {
    const enc = new HpackEncoder({ maxTableSize: 200 });
    const dec = new HpackDecoder({ maxTableSize: 200 });
    for (let i = 0; i < 50; i++) {
      const headers: HeaderList = [['x-n', String(i % 7)], [`x-${i % 5}`, 'v'.repeat(i)]];
      expect(dec.decode(enc.encode(headers))).toEqual(headers);
    }
  });

  it('applies the Huffman policy', () => {
    expect(toHex(new HpackEncoder({ huffman: false }).encode([['x-a', 'aaaa']]))).toBe('4003782d610461616161');
    expect(new HpackEncoder({ huffman: true }).encode([['x-a', 'aaaa']])[1]! & 0x80).toBe(0x80);
  });
});

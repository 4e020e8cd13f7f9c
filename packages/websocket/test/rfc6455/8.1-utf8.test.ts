import { expectEventsForAllChunkings } from '@gunhttp/testkit';
import { WsErrors } from '../../src/index.js';
import { bytes, cat, client, enc, errorEvent, frame, norm, Opcode } from '../support/ws.js';

const INVALID = errorEvent(WsErrors.INVALID_UTF8, 1007);

describe('RFC 6455 §8.1 UTF-8 text', () => {
  it('validates text split inside a multi-byte character across fragments', () => {
    const text = enc('κόσμε 🌍');
    const input = cat(frame(Opcode.TEXT, text.subarray(0, 3), { fin: false }), frame(Opcode.CONTINUATION, text.subarray(3, 12), { fin: false }), frame(Opcode.CONTINUATION, text.subarray(12)));
    expectEventsForAllChunkings(client, input, [{ type: 'text', data: 'κόσμε 🌍' }], { normalize: norm });
  });

  it('keeps a leading U+FEFF', () => {
    expect(client().receive(frame(Opcode.TEXT, bytes(0xef, 0xbb, 0xbf, 0x61)))).toEqual([{ type: 'text', data: '\ufeffa' }]);
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong 2-octet form', [0xc0, 0x80]],
    ['an overlong 2-octet form with C1', [0xc1, 0xbf]],
    ['an overlong 3-octet form', [0xe0, 0x80, 0x80]],
    ['an overlong 4-octet form', [0xf0, 0x80, 0x80, 0x80]],
    ['a high surrogate', [0xed, 0xa0, 0x80]],
    ['a low surrogate', [0xed, 0xbf, 0xbf]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a 0xF5 lead byte', [0xf5, 0x80, 0x80, 0x80]],
    ['0xFF', [0xff]],
    ['a truncated sequence at the message end', [0x61, 0xe2, 0x82]],
    ['a lead byte followed by ASCII', [0xe2, 0x41, 0x41]],
  ])('fails with 1007 on %s (§8.1)', (_name, seq) => {
    expectEventsForAllChunkings(client, frame(Opcode.TEXT, Uint8Array.from(seq)), [INVALID], { normalize: norm });
  });

  it('fails fast: invalid text in the first fragment is reported before the message ends (§8.1)', () => {
    expect(norm(client().receive(frame(Opcode.TEXT, bytes(0x61, 0xc0), { fin: false })))).toEqual([INVALID]);
  });

  it('fails on a sequence left open at the end of a fragmented message', () => {
    const input = cat(frame(Opcode.TEXT, bytes(0x61), { fin: false }), frame(Opcode.CONTINUATION, bytes(0xf0, 0x9f)));
    expectEventsForAllChunkings(client, input, [INVALID], { normalize: norm });
  });

  it('accepts the largest code point and the edges around surrogates', () => {
    const input = frame(Opcode.TEXT, bytes(0xf4, 0x8f, 0xbf, 0xbf, 0xed, 0x9f, 0xbf, 0xee, 0x80, 0x80));
    expect(client().receive(input)).toEqual([{ type: 'text', data: '\u{10ffff}\ud7ff\ue000' }]);
  });

  it('does not validate binary messages', () => {
    expect(client().receive(frame(Opcode.BINARY, bytes(0xff, 0xc0)))).toEqual([{ type: 'binary', data: bytes(0xff, 0xc0) }]);
  });
});

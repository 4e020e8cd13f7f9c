import type { HeaderList } from '@gunhttp/core';
import { HpackDecoder, HpackEncoder } from '../../src/index.js';
import { hex, toHex } from '../helpers.js';

interface Step {
  block: string;
  headers: HeaderList;
  tableSize: number;
}

const req1: HeaderList = [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']];
const req2: HeaderList = [...req1, ['cache-control', 'no-cache']];
const req3: HeaderList = [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']];

const requestsPlain: Step[] = [
  { block: '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', headers: req1, tableSize: 57 },
  { block: '8286 84be 5808 6e6f 2d63 6163 6865', headers: req2, tableSize: 110 },
  { block: '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65', headers: req3, tableSize: 164 },
];
const requestsHuffman: Step[] = [
  { block: '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', headers: req1, tableSize: 57 },
  { block: '8286 84be 5886 a8eb 1064 9cbf', headers: req2, tableSize: 110 },
  { block: '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf', headers: req3, tableSize: 164 },
];

const date1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const date2 = 'Mon, 21 Oct 2013 20:13:22 GMT';
const loc = 'https://www.example.com';
const res1: HeaderList = [[':status', '302'], ['cache-control', 'private'], ['date', date1], ['location', loc]];
const res2: HeaderList = [[':status', '307'], ['cache-control', 'private'], ['date', date1], ['location', loc]];
const res3: HeaderList = [
  [':status', '200'], ['cache-control', 'private'], ['date', date2], ['location', loc], ['content-encoding', 'gzip'],
  ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'],
];

const responsesPlain: Step[] = [
  {
    block: '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
    headers: res1, tableSize: 222,
  },
  { block: '4803 3330 37c1 c0bf', headers: res2, tableSize: 222 },
  {
    block: '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
    headers: res3, tableSize: 215,
  },
];
const responsesHuffman: Step[] = [
  {
    block: '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
    headers: res1, tableSize: 222,
  },
  { block: '4883 640e ffc1 c0bf', headers: res2, tableSize: 222 },
  {
    block: '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
    headers: res3, tableSize: 215,
  },
];

describe.each([
  ['C.3 requests without Huffman coding', requestsPlain, 4096],
  ['C.4 requests with Huffman coding', requestsHuffman, 4096],
  ['C.5 responses without Huffman coding (table size 256)', responsesPlain, 256],
  ['C.6 responses with Huffman coding (table size 256)', responsesHuffman, 256],
])('RFC 7541 Appendix %s', (_name, steps, size) => {
  it('decodes each block of the sequence with the shared dynamic table', () => {
    const dec = new HpackDecoder({ maxTableSize: size });
    for (const step of steps) {
      // The decoder of §C.5/C.6 starts with a 256-octet table: the peer's announced size update is implied.
      if (size !== 4096 && step === steps[0]) dec.decode(hex(`3f e1 01`));
      expect(dec.decode(hex(step.block))).toEqual(step.headers);
      expect(dec.tableSize).toBe(step.tableSize);
    }
  });

  it('round-trips the sequence through our encoder and decoder', () => {
    const enc = new HpackEncoder({ maxTableSize: size });
    const dec = new HpackDecoder({ maxTableSize: size });
    for (const step of steps) expect(dec.decode(enc.encode(step.headers))).toEqual(step.headers);
  });
});

describe('RFC 7541 Appendix C.3 / C.4: our encoder produces the RFC blocks', () => {
  it.each([
    ['C.3 (huffman never)', 'never' as const, requestsPlain],
    ['C.4 (huffman shorter)', 'shorter' as const, requestsHuffman],
  ])('%s', (_name, huffman, steps) => {
    const enc = new HpackEncoder({ huffman });
    for (const step of steps) expect(toHex(enc.encode(step.headers))).toBe(toHex(hex(step.block)));
  });
});

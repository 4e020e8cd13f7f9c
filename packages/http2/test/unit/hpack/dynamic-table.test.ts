import { DynamicTable } from '../../../src/hpack/dynamic-table.js';

describe('DynamicTable (RFC 7541 §2.3.2, §4)', () => {
  it('indexes newest first and sizes entries as name + value + 32', () => {
    const t = new DynamicTable(4096);
    t.add('a', 'b');
    t.add('c', 'd');
    expect(t.get(1)).toEqual(['c', 'd']);
    expect(t.get(2)).toEqual(['a', 'b']);
    expect(t.get(3)).toBeUndefined();
    expect(t.size).toBe(68);
  });

  it('evicts the oldest entries to fit a new one (§4.4), reporting their sequence numbers', () => {
    const t = new DynamicTable(68);
    const evicted: number[] = [];
    t.add('a', 'b');
    t.add('c', 'd');
    t.add('e', 'f', (seq) => evicted.push(seq));
    expect(evicted).toEqual([0]);
    expect([t.get(1), t.get(2), t.count]).toEqual([['e', 'f'], ['c', 'd'], 2]);
  });

  it('empties itself for an entry larger than the table, without adding it (§4.4)', () => {
    const t = new DynamicTable(40);
    t.add('a', 'b');
    t.add('x', 'y'.repeat(10));
    expect([t.count, t.size]).toEqual([0, 0]);
  });

  it('an entry of exactly maxSize fits; one octet more does not', () => {
    const t = new DynamicTable(34);
    t.add('a', 'b');
    expect(t.count).toBe(1);
    t.add('a', 'bb');
    expect(t.count).toBe(0);
  });

  it('keeps order across ring wrap-around and growth', () => {
    const t = new DynamicTable(34 * 5);
    for (let i = 0; i < 30; i++) t.add('n', String(i % 10));
    expect([t.get(1), t.get(5), t.count]).toEqual([['n', '9'], ['n', '5'], 5]);
  });
});

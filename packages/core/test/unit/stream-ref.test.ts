import { inspect } from 'node:util';
import { StreamRef } from '../../src/stream-ref.js';

describe('StreamRef', () => {
  it('walks its tunnels: depth, path from the outermost, isWithin', () => {
    const tunnel = new StreamRef();
    const inner = new StreamRef(tunnel);
    const innermost = new StreamRef(inner);
    expect(innermost.depth).toBe(2);
    expect(innermost.path()).toEqual([tunnel, inner, innermost]);
    expect(innermost.isWithin(tunnel)).toBe(true);
    expect(tunnel.isWithin(innermost)).toBe(false);
    expect(String(innermost)).toBe(`#StreamRef<${tunnel.id}.${inner.id}.${innermost.id}>`);
  });

  it("keeps the connection's slot out of its keys, equality and inspection", () => {
    const ref = new StreamRef();
    const record = { secret: 'the connection record' };
    ref.slot = record;
    expect(ref.slot).toBe(record);
    expect(Object.keys(ref)).toEqual(['id', 'parent']);
    expect(inspect(ref)).not.toContain('secret');
    const twin = new StreamRef();
    Object.defineProperty(twin, 'id', { value: ref.id });
    expect(twin).toEqual(ref);
  });
});

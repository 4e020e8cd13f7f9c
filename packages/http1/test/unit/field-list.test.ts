import { listElements, trimOws } from '../../src/field-list.js';

describe('field lists', () => {
  it('trims SP and HTAB only', () => {
    expect(trimOws(' \ta b\t ')).toBe('a b');
    expect(trimOws('\xa0a\xa0')).toBe('\xa0a\xa0');
  });

  it('splits every field of a name into lowercase non-empty elements', () => {
    expect(listElements([['connection', 'Keep-Alive, ,Upgrade'], ['x', 'close'], ['connection', ' TE ']], 'connection')).toEqual(['keep-alive', 'upgrade', 'te']);
  });
});

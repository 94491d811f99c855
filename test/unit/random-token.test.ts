import { randomToken } from '../../src/random-token';

describe('randomToken', () => {
  it('gives base64url of the asked length: 24 bytes → 32 characters, 32 → 43', () => {
    expect(randomToken(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('never hands out the same bytes twice, across many refills of its pool', () => {
    // 3,000 × 24 bytes is many times the pool. Any byte handed out twice would repeat a whole 8-byte window;
    // among truly random windows a repeat has odds of about 1 in 10^10.
    const windows = new Set<string>();
    let count = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(randomToken(24), 'base64url');
      expect(bytes).toHaveLength(24);
      for (let at = 0; at + 8 <= bytes.length; at++) {
        windows.add(bytes.subarray(at, at + 8).toString('hex'));
        count++;
      }
    }
    expect(windows.size).toBe(count);
  });

  it('refuses sizes it cannot serve', () => {
    for (const size of [0, -1, 1.5, 4097, Number.NaN]) expect(() => randomToken(size)).toThrow(RangeError);
  });
});

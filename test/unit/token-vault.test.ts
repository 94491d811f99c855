import { randomBytes } from 'node:crypto';
import { createTokenVault } from '../../src/session/token-vault';

const key = () => randomBytes(32).toString('base64url');
const TOKENS = { accessToken: 'AT_SENTINEL_7f3c', refreshToken: 'RT_SENTINEL_9a1b' };

describe('the token vault', () => {
  it('round-trips a value and leaves no token readable in the sealed text', () => {
    const vault = createTokenVault([key()]);

    const sealed = vault.seal(TOKENS);

    expect(sealed).not.toContain('SENTINEL');
    expect(Buffer.from(sealed.split('.')[3] ?? '', 'base64url').toString('latin1')).not.toContain('SENTINEL');
    expect(vault.open(sealed)).toEqual(TOKENS);
  });

  it('uses a fresh IV every time', () => {
    const vault = createTokenVault([key()]);

    expect(vault.seal(TOKENS)).not.toBe(vault.seal(TOKENS));
  });

  it('reads values sealed with an older key after rotation, and writes with the first key', () => {
    const [oldKey, newKey] = [key(), key()];
    const sealedBefore = createTokenVault([oldKey]).seal(TOKENS);
    const rotated = createTokenVault([newKey, oldKey]);

    const sealedAfter = rotated.seal(TOKENS);

    expect(rotated.open(sealedBefore)).toEqual(TOKENS);
    expect(createTokenVault([newKey]).open(sealedAfter)).toEqual(TOKENS);
    expect(createTokenVault([oldKey]).open(sealedAfter)).toBeUndefined();
  });

  it('tells, without decrypting, whether a value names a configured key', () => {
    const [oldKey, newKey] = [key(), key()];
    const sealed = createTokenVault([oldKey]).seal(TOKENS);

    expect(createTokenVault([newKey, oldKey]).canOpen(sealed)).toBe(true);
    expect(createTokenVault([newKey]).canOpen(sealed)).toBe(false);
    expect(createTokenVault([oldKey]).canOpen('not a sealed value')).toBe(false);
  });

  it('refuses a tampered value or an unknown key instead of throwing', () => {
    const vault = createTokenVault([key()]);
    const sealed = vault.seal(TOKENS);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3] ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;

    expect(
      vault.open([...parts.slice(0, 3), flipped.toString('base64url'), parts[4]].join('.')),
    ).toBeUndefined();
    expect(createTokenVault([key()]).open(sealed)).toBeUndefined();
    expect(vault.open('garbage')).toBeUndefined();
  });
});

import { codeChallengeS256, randomCodeVerifier, randomState } from '../../src/auth/pkce';

describe('PKCE (RFC 7636)', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it("matches RingCentral's documented example pair", () => {
    expect(codeChallengeS256('pIUgx4tiqFpaOUz0HMc_QbIyQlL901w8mRmkrmhEJ_E')).toBe(
      '_drLS7o5FwkfUiBhlq2hwJnK_SC6yE7sKOde5O1fdzk',
    );
  });

  it('makes 43-character verifiers from the unreserved alphabet, never twice the same', () => {
    const verifiers = Array.from({ length: 1000 }, randomCodeVerifier);

    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(verifiers).size).toBe(1000);
  });

  it('makes states of at least 128 random bits (43 base64url characters = 256 bits)', () => {
    const states = Array.from({ length: 1000 }, randomState);

    for (const state of states) expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(states).size).toBe(1000);
  });
});

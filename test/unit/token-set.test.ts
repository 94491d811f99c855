import { canRefresh, isExpiring, secondsLeft, toTokenSet } from '../../src/auth/token-set';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const WIRE = {
  access_token: 'AT1',
  token_type: 'bearer',
  expires_in: 3600,
  refresh_token: 'RT1',
  refresh_token_expires_in: 604800,
  scope: 'ReadAccounts  ReadCallLog',
  owner_id: '256440016',
  endpoint_id: 'ep1',
};

describe('toTokenSet', () => {
  it('turns lifetimes into absolute times from the local receipt time', () => {
    const tokens = toTokenSet(WIRE, NOW);

    expect(tokens.expiresAt).toBe(NOW + 3_600_000);
    expect(tokens.refreshTokenExpiresAt).toBe(NOW + 604_800_000);
    expect(tokens.scope).toEqual(['ReadAccounts', 'ReadCallLog']);
    expect(tokens.ownerId).toBe('256440016');
  });

  it('keeps the previous refresh token when a refresh answer has none (RFC 6749 §6)', () => {
    const previous = toTokenSet(WIRE, NOW);

    const next = toTokenSet(
      { access_token: 'AT2', token_type: 'bearer', expires_in: 3600 },
      NOW + 1000,
      previous,
    );

    expect(next.refreshToken).toBe('RT1');
    expect(next.refreshTokenExpiresAt).toBe(previous.refreshTokenExpiresAt);
    expect(next.accessToken).toBe('AT2');
  });

  it('takes the rotated refresh token when one is sent', () => {
    const next = toTokenSet({ ...WIRE, refresh_token: 'RT2' }, NOW, toTokenSet(WIRE, NOW - 1000));

    expect(next.refreshToken).toBe('RT2');
  });
});

describe('expiry math', () => {
  it('says a token is expiring within the skew window, and not before', () => {
    expect(isExpiring({ expiresAt: NOW + 60_000 }, NOW, 60_000)).toBe(true);
    expect(isExpiring({ expiresAt: NOW + 60_001 }, NOW, 60_000)).toBe(false);
    expect(isExpiring({ expiresAt: NOW - 1 }, NOW, 0)).toBe(true);
  });

  it('allows a refresh only with an unexpired refresh token', () => {
    expect(canRefresh({ refreshToken: 'RT', refreshTokenExpiresAt: NOW + 1 }, NOW)).toBe(true);
    expect(canRefresh({ refreshToken: 'RT', refreshTokenExpiresAt: NOW }, NOW)).toBe(false);
    expect(canRefresh({ refreshToken: undefined, refreshTokenExpiresAt: undefined }, NOW)).toBe(false);
  });

  it('counts whole seconds left, never below zero', () => {
    expect(secondsLeft(NOW + 59_999, NOW)).toBe(59);
    expect(secondsLeft(NOW - 5_000, NOW)).toBe(0);
  });
});

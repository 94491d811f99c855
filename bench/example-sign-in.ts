// What one sign-in leaves in the session, with fresh random tokens each call: the same shape and sizes as
// a sign-in through the emulator stores. Used by the memory scenario.
import { randomBytes } from 'node:crypto';
import type { Composed } from '../src/compose';

type SignedInSession = Parameters<Composed['authSession']['write']>[1];

export function exampleSignIn(now: number): SignedInSession {
  return {
    tokens: {
      accessToken: `U1BCMDFUMDRKV1MwMXw${randomBytes(32).toString('base64url')}`,
      tokenType: 'bearer',
      issuedAt: now,
      expiresAt: now + 3_600_000,
      refreshToken: `U1BCMDFUMDRKV1MwMXw${randomBytes(32).toString('base64url')}`,
      refreshTokenExpiresAt: now + 604_800_000,
      scope: ['ReadAccounts', 'ReadCallLog'],
      ownerId: '101000001',
      endpointId: randomBytes(16).toString('base64url'),
    },
    user: {
      id: '101000001',
      name: 'Ada Lovelace',
      extensionNumber: '101',
      email: 'ada.lovelace@example.com',
      accountId: '400000001',
    },
    signedInAt: now,
    lastRefreshedAt: undefined,
  };
}

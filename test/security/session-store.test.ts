// F9: the in-process store drops the least recently used session when full, also right after its
// once-a-minute sweep of expired sessions. (memorystore's sweep read every entry, reversing the order: the
// most recently active user was the next one signed out.)
import { promisify } from 'node:util';
import type { SessionData } from 'express-session';
import { createLogger } from '../../src/logger';
import { createSessionBackend, type SessionBackend } from '../../src/session/session-backend';
import { makeTestConfig } from '../helpers/test-config';

describe('security: the in-process session store (F9)', () => {
  let backend: SessionBackend;
  beforeEach(() => {
    jest.useFakeTimers();
    const config = makeTestConfig({ SESSION_MAX_SESSIONS: '3' });
    backend = createSessionBackend(config.session, createLogger('silent', process.stdout), Date.now);
  });
  afterEach(async () => {
    await backend.close();
    jest.useRealTimers();
  });

  const set = (sid: string) =>
    promisify(backend.store.set.bind(backend.store))(sid, { cookie: {} } as SessionData);
  const get = (sid: string) => promisify(backend.store.get.bind(backend.store))(sid);

  it('F9: signs out the least recently active session when full, even right after the sweep', async () => {
    await set('a');
    await set('b');
    await set('c');
    await get('a'); // a is active again: b is now the least recently used

    jest.advanceTimersByTime(61_000); // the sweep runs
    await set('d');

    expect(await get('b')).toBeFalsy();
    expect(await get('a')).toBeTruthy();
    expect(await get('c')).toBeTruthy();
    expect(await get('d')).toBeTruthy();
  });

  it('F9: a session that was destroyed is not written back by a request that loaded it before', async () => {
    await set('a');
    await promisify(backend.store.destroy.bind(backend.store))('a');

    await set('a');

    expect(await get('a')).toBeFalsy();
  });
});

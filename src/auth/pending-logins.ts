// Sign-ins that have been started but not finished, keyed by `state`. Several may be pending at once
// (two tabs), each is used once, and old ones are dropped so a session cannot be filled up. Pure.

export interface PendingLogin {
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly createdAt: number;
}

export type PendingLogins = Readonly<Record<string, PendingLogin>>;

/** How many unfinished sign-ins one browser session may hold. */
export const MAX_PENDING_LOGINS = 5;

/** Adds a login, dropping expired ones and, past the cap, the oldest. Returns a new map. */
export function addPendingLogin(
  logins: PendingLogins | undefined,
  state: string,
  login: PendingLogin,
  now: number,
  ttlMs: number,
): PendingLogins {
  const kept = Object.entries(logins ?? {})
    .filter(([, pending]) => now - pending.createdAt < ttlMs)
    .sort(([, a], [, b]) => b.createdAt - a.createdAt)
    .slice(0, MAX_PENDING_LOGINS - 1);
  return Object.fromEntries([...kept, [state, login]]);
}

/** Finds the login for `state` and returns the map without it: a state is good for one callback only. */
export function takePendingLogin(
  logins: PendingLogins | undefined,
  state: string,
): { login: PendingLogin | undefined; remaining: PendingLogins } {
  // Object.hasOwn: a state of "__proto__" or "constructor" must not find anything.
  if (logins === undefined || !Object.hasOwn(logins, state))
    return { login: undefined, remaining: logins ?? {} };
  const { [state]: login, ...remaining } = logins;
  return { login, remaining };
}

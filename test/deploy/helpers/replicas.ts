// Two app instances as replicas behind one proxy: one public URL (BASE_URL), one RingCentral (the
// emulator), one clock and one session store from `env`, and a user signed in on the first.
import { sessionCookieOf, signIn } from '../../helpers/sign-in';
import { startStack, type Stack } from '../../helpers/stack';

export interface Replicas {
  readonly first: Stack;
  readonly second: Stack;
  /** The signed-in user's session cookie, good on either instance. */
  readonly cookie: string;
  close(): Promise<void>;
}

export async function startSignedInReplicas(env: Record<string, string>): Promise<Replicas> {
  const first = await startStack({ env });
  const second = await startStack({
    env: { ...env, BASE_URL: first.appUrl },
    sharedEmulator: first.emulator,
    clock: first.clock,
  });
  const { response } = await signIn(first);
  return {
    first,
    second,
    cookie: sessionCookieOf(response),
    async close() {
      await second.close();
      await first.close();
    },
  };
}

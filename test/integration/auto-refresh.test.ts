// Automatic refresh before expiry, and one refresh at a time however many requests arrive at once.
import { csrfTokenOf, signIn, tokenRequests } from '../helpers/sign-in';
import { startStack, type Stack } from '../helpers/stack';

const refreshes = (stack: Stack) =>
  tokenRequests(stack).filter((r) => new URLSearchParams(r.body).get('grant_type') === 'refresh_token');

describe('automatic refresh', () => {
  let stack: Stack;

  beforeEach(async () => {
    stack = await startStack();
    await signIn(stack);
  });
  afterEach(() => stack.close());

  it('does nothing while the access token is fresh', async () => {
    await stack.agent.get('/').expect(200);

    expect(refreshes(stack)).toHaveLength(0);
  });

  it('refreshes a page request whose token expires within 60 s, and says so', async () => {
    stack.clock.advance(3_600_000 - 30_000);

    const page = await stack.agent.get('/').expect(200);

    expect(refreshes(stack)).toHaveLength(1);
    expect(page.text).toContain('refreshed automatically');
    expect(page.text).toMatch(/(59 min \d+ s|1 h 0 min) left/);
  });

  it('answers 50 parallel requests at the moment of expiry with exactly one refresh, all signed in', async () => {
    stack.clock.advance(3_600_000 - 30_000);

    const pages = await Promise.all(Array.from({ length: 50 }, () => stack.agent.get('/')));

    expect(pages.map((p) => p.status)).toEqual(Array(50).fill(200));
    for (const page of pages) expect(page.text).toContain('Signed in as Ada Lovelace');
    expect(refreshes(stack)).toHaveLength(1);
  });

  it('ends the burst holding the newest tokens: the next refresh works once the old token is dead', async () => {
    stack.clock.advance(3_600_000 - 30_000);
    await Promise.all(Array.from({ length: 50 }, () => stack.agent.get('/')));
    stack.clock.advance(11_000); // RingCentral's reuse window for the previous refresh token is over

    const csrf = await csrfTokenOf(stack.agent);
    await stack.agent.post('/refresh').type('form').send({ _csrf: csrf }).expect(303);

    expect(refreshes(stack)).toHaveLength(2);
    await stack.agent.get('/').expect(200, /Signed in as/);
  });

  it('signs the user out with a "session ended" page when the refresh token is dead, never a 500', async () => {
    for (const token of stack.emulator.store.issuedTokens()) stack.emulator.store.revoke(token);
    stack.clock.advance(3_600_000 - 30_000);

    const page = await stack.agent.get('/').accept('html');
    const next = await stack.agent.get('/').expect(200);

    expect(page.status).toBe(401);
    expect(page.text).toContain('Your RingCentral session has ended');
    expect(page.text).toContain('login');
    expect(next.text).toContain('Sign in with RingCentral');
  });

  it('keeps the session when RingCentral fails the refresh twice (502), and recovers after', async () => {
    stack.clock.advance(3_600_000 - 30_000);
    stack.emulator.faults.failNext('token', { kind: 'status', status: 500 }, 2);

    const failed = await stack.agent.get('/').accept('html');
    const recovered = await stack.agent.get('/').expect(200);

    expect(failed.status).toBe(502);
    expect(recovered.text).toContain('refreshed automatically');
    expect(refreshes(stack)).toHaveLength(3);
  });
});

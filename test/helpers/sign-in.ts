// Walks the browser's part of the flow: /login → emulator consent page → Approve/Deny → back to the app.
import request from 'supertest';
import type { Stack } from './stack';

type Agent = ReturnType<typeof request.agent>;

/** GET /login and return RingCentral's (the emulator's) authorize URL from the 302. */
export async function startLogin(agent: Agent, query = ''): Promise<URL> {
  const response = await agent.get(`/login${query}`).expect(302);
  return new URL(response.headers['location'] as string);
}

/** Opens the consent page as the browser would and clicks a button; returns where the emulator sends the browser. */
export async function decide(authorizeUrl: URL, decision: 'approve' | 'deny', user?: string): Promise<URL> {
  const page = await request(authorizeUrl.origin)
    .get(authorizeUrl.pathname + authorizeUrl.search)
    .expect(200);
  const interaction = /name="interaction" value="([^"]+)"/.exec(page.text)?.[1];
  if (interaction === undefined) throw new Error(`no consent form in:\n${page.text}`);
  const form = new URLSearchParams({ interaction, decision, ...(user === undefined ? {} : { user }) });
  const answer = await request(authorizeUrl.origin)
    .post('/emulator/consent')
    .type('form')
    .send(form.toString())
    .expect(302);
  return new URL(answer.headers['location'] as string);
}

/** The callback URL with its query, as a path the app agent can request. */
export function pathOf(url: URL): string {
  return url.pathname + url.search;
}

/** A full sign-in; returns the callback response (303 to returnTo) and the callback URL used. */
export async function signIn(
  stack: Stack,
  options: { agent?: Agent; returnTo?: string; user?: string } = {},
) {
  const agent = options.agent ?? stack.agent;
  const query = options.returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(options.returnTo)}`;
  const authorizeUrl = await startLogin(agent, query);
  const callbackUrl = await decide(authorizeUrl, 'approve', options.user);
  const response = await agent.get(pathOf(callbackUrl));
  return { response, callbackUrl, authorizeUrl };
}

/** The hidden CSRF token from the dashboard's forms. */
export async function csrfTokenOf(agent: Agent): Promise<string> {
  const page = await agent.get('/').expect(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error('no CSRF token on the dashboard');
  return token;
}

export function tokenRequests(stack: Stack) {
  return stack.emulator.requests.filter((r) => r.path === '/restapi/oauth/token');
}

/** The session cookie a response set, as `name=value` (a callback also clears its sign-in cookie). */
export function sessionCookieOf(response: { headers: Record<string, unknown> }): string {
  return sessionSetCookieOf(response).split(';')[0] ?? '';
}

/** The whole Set-Cookie line of the session cookie, with its attributes. */
export function sessionSetCookieOf(response: { headers: Record<string, unknown> }): string {
  const lines = (response.headers['set-cookie'] as string[] | undefined) ?? [];
  return lines.find((line) => /^(__Host-|__Secure-)?rcapp\.sid=/.test(line)) ?? '';
}

// GET /restapi/oauth/authorize of the emulated RingCentral: validate the request, show a consent page
// (or approve at once), then send the browser back to the redirect URI with a code or an error.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { EmulatorClient, EmulatorStore } from './emulator-store.js';

/** What the consent page needs to finish the request once the user decides. */
export interface Interaction {
  readonly client: EmulatorClient;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly codeChallenge: string | undefined;
  readonly codeChallengeMethod: 'plain' | 'S256';
  readonly createdAt: number;
}

const INTERACTION_TTL_MS = 10 * 60_000;
const MAX_INTERACTIONS = 10_000;

export function createAuthorizeHandlers(
  store: EmulatorStore,
  autoApproveUserIds: readonly string[] | undefined,
) {
  const interactions = new Map<string, Interaction>();
  let autoApproved = 0;
  /** The next user to approve as, in turn; undefined when the consent page is to be shown. */
  const nextAutoApproveUser = () =>
    autoApproveUserIds === undefined || autoApproveUserIds.length === 0
      ? undefined
      : autoApproveUserIds[autoApproved++ % autoApproveUserIds.length];

  /** Errors about the client or redirect URI are shown, never redirected: the URI is not trusted yet. */
  function showError(res: Response, status: number, errorCode: string, message: string) {
    res
      .status(status)
      .render('emulator/error', { title: 'Sign-in request rejected', status, errorCode, message });
  }

  function authorize(req: Request, res: Response) {
    // The SDK sends empty parameters (state=&brand_id=...); treat "" as absent.
    const param = (name: string) => {
      const value: unknown = req.query[name];
      const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
      return typeof first === 'string' && first !== '' ? first : undefined;
    };
    for (const name of ['client_id', 'redirect_uri', 'response_type', 'state', 'code_challenge']) {
      if (Array.isArray(req.query[name]))
        return showError(res, 400, 'OAU-111', 'Request parameter duplication detected');
    }
    const clientId = param('client_id');
    const client = clientId === undefined ? undefined : store.client(clientId);
    if (client === undefined) return showError(res, 400, 'OAU-153', `Invalid client: ${clientId ?? ''}`);
    if (client.redirectUris.length === 0)
      return showError(res, 403, 'OAU-113', 'No redirect uri is registered for the client');
    // redirect_uri may be left out only when exactly one is registered (spec); it must match exactly.
    const redirectUri =
      param('redirect_uri') ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
      return showError(
        res,
        400,
        'OAU-109',
        'Redirect URIs do not match: the redirect_uri is not registered for this app',
      );
    }
    const state = param('state');
    const back = (params: Record<string, string>) =>
      redirectBack(res, redirectUri, { ...params, ...(state === undefined ? {} : { state }) });
    if (param('response_type') !== 'code') {
      return back({ error: 'unsupported_response_type', error_description: 'Unsupported response type' });
    }
    if (!client.grants.includes('authorization_code')) {
      return back({
        error: 'unauthorized_client',
        error_description: 'The client is unauthorized for the required grant type: [AUTHORIZATION_CODE]',
      });
    }
    const method = param('code_challenge_method') ?? 'plain'; // RingCentral's guide: omitted means plain
    if (method !== 'plain' && method !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'Unsupported code_challenge_method' });
    }
    const interaction: Interaction = {
      client,
      redirectUri,
      state,
      codeChallenge: param('code_challenge'),
      codeChallengeMethod: method,
      createdAt: store.now(),
    };
    const autoUser = nextAutoApproveUser();
    if (autoUser !== undefined) return back({ ...approve(interaction, autoUser) });
    const id = remember(interaction);
    res.render('emulator/authorize', {
      title: 'Allow access?',
      interactionId: id,
      clientId: client.clientId,
      redirectHost: new URL(redirectUri).host,
      users: store.users(),
    });
  }

  /** POST /emulator/consent: the Approve or Deny button of the consent page. */
  function decide(req: Request, res: Response) {
    const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
    const id = form.get('interaction') ?? '';
    const interaction = interactions.get(id);
    interactions.delete(id);
    if (interaction === undefined || store.now() - interaction.createdAt > INTERACTION_TTL_MS) {
      return showError(
        res,
        400,
        'OAU-102',
        'Unable to issue authorization code: this consent page expired. Start the sign-in again.',
      );
    }
    const state = interaction.state === undefined ? {} : { state: interaction.state };
    if (form.get('decision') !== 'approve') {
      // What RingCentral sends on Deny is unconfirmed (§11 item 1); this is RFC 6749 §4.1.2.1.
      return redirectBack(res, interaction.redirectUri, {
        error: 'access_denied',
        error_description: 'The user denied access',
        ...state,
      });
    }
    const chosen = form.get('user') ?? '';
    const userId = store.user(chosen) === undefined ? (store.users()[0]?.extensionId ?? '') : chosen;
    redirectBack(res, interaction.redirectUri, { ...approve(interaction, userId), ...state });
  }

  function approve(interaction: Interaction, userId: string) {
    const code = store.issueCode({
      clientId: interaction.client.clientId,
      redirectUri: interaction.redirectUri,
      userId,
      codeChallenge: interaction.codeChallenge,
      codeChallengeMethod: interaction.codeChallengeMethod,
    });
    return { code, expires_in: String(store.lifetimes.codeSeconds) };
  }

  function remember(interaction: Interaction): string {
    if (interactions.size >= MAX_INTERACTIONS) interactions.delete(interactions.keys().next().value ?? '');
    const id = randomBytes(16).toString('base64url');
    interactions.set(id, interaction);
    return id;
  }

  return { authorize, decide };
}

function redirectBack(res: Response, redirectUri: string, params: Record<string, string | undefined>) {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(key, value);
  res.redirect(302, url.href);
}

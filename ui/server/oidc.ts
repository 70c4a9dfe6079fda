import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import { HttpError, unavailable } from './errors';
import { identityOf, type Identity } from './oidc-claims';
import type { OidcSettings } from './oidc-settings';

/** What sign-in needs from the session module: start one for a person, end the current one. */
export interface SessionPort {
  startSession(request: FastifyRequest, reply: FastifyReply, identity: Identity): unknown;
  endSession(request: FastifyRequest, reply: FastifyReply): unknown;
  /** Puts a refused sign-in in the access log. */
  signInFailed(request: FastifyRequest, tried: string | null, reason: string): Promise<void>;
}

export interface OidcDeps extends SessionPort {
  settings: OidcSettings;
}

/** The login in progress (state, nonce, PKCE verifier): signed, HttpOnly, for the callback only, 10 minutes. */
const LOGIN = 'oidc_login';
/** Marks a session begun at the provider, so sign-out also ends the provider's session. */
const VIA = 'oidc_via';
const COOKIE_PATH = '/api/oidc';
const LOGIN_SECONDS = 600;

/** Loopback issuers may be plain http (tests, a provider on the same host); all others must use TLS. */
const isLoopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);

/** Errors openid-client raises for a provider's answer that fails a check (state, nonce, audience, expiry, signature…). */
const isRefusal = (e: unknown) =>
  e instanceof oidc.ClientError || e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError;

/**
 * Sign-in through the organisation's OpenID provider: Authorization Code with PKCE, state and
 * nonce. The provider's metadata is fetched on first use (and again after a failure), so the
 * API starts while the provider is away.
 */
export function registerOidc(app: FastifyInstance, deps: OidcDeps): void {
  const s = deps.settings;
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(s.issuer, s.clientId, undefined, s.clientSecret ? oidc.ClientSecretPost(s.clientSecret) : oidc.None(), {
        ...(isLoopback(s.issuer) ? { execute: [oidc.allowInsecureRequests] } : {}),
        timeout: 10,
      })
      .catch((err: unknown) => {
        discovered = undefined;
        app.log.warn({ err }, 'OpenID provider metadata not available');
        throw unavailable();
      });
    return discovered;
  };
  const cookie = { path: COOKIE_PATH, httpOnly: true, secure: 'auto', signed: true } as const;

  app.get('/api/oidc/login', async (_request, reply) => {
    const config = await configuration();
    const login = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: s.redirectUri.href,
      scope: s.scopes,
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(login.verifier),
      code_challenge_method: 'S256',
    });
    // Lax, not strict: the provider's redirect back is a cross-site top-level navigation.
    reply.setCookie(LOGIN, JSON.stringify(login), { ...cookie, sameSite: 'lax', maxAge: LOGIN_SECONDS });
    return reply.redirect(url.href, 302);
  });

  app.get('/api/oidc/callback', async (request, reply) => {
    const login = pendingLogin(request);
    reply.clearCookie(LOGIN, { path: COOKIE_PATH });
    const config = await configuration();
    // The URL as registered, not as the Host header claims, with the provider's answer.
    const current = new URL(s.redirectUri);
    current.search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: login.verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      if (!isRefusal(err)) {
        request.log.warn({ err }, 'OpenID provider did not answer');
        throw unavailable();
      }
      const reason = refusalReason(err as Error);
      request.log.warn({ reason }, 'OpenID sign-in refused');
      await deps.signInFailed(request, null, `oidc: ${reason}`);
      throw new HttpError(401, 'wrong-credentials', `the identity provider's answer was refused: ${reason}`);
    }
    if (!claims) throw new HttpError(401, 'wrong-credentials', 'the identity provider sent no ID token');
    const identity = identityOf(claims, s);
    if ('refused' in identity) {
      await deps.signInFailed(request, null, `oidc: ${identity.reason}`);
      throw new HttpError(403, 'forbidden', `signed in at the identity provider, but ${identity.reason}`);
    }
    await deps.startSession(request, reply, identity);
    reply.setCookie(VIA, '1', { ...cookie, sameSite: 'strict' });
    return reply.redirect('/', 302);
  });

  // A POST answered with JSON, so the page decides where to go (and no other site can sign a person out).
  app.post('/api/oidc/logout', async (request, reply) => {
    const via = request.cookies[VIA];
    const atProvider = via ? request.unsignCookie(via).valid : false;
    await deps.endSession(request, reply);
    reply.clearCookie(VIA, { path: COOKIE_PATH });
    if (!atProvider) return { signedOut: true, redirect: null };
    const config = await configuration().catch(() => undefined);
    if (!config?.serverMetadata().end_session_endpoint) return { signedOut: true, redirect: null };
    const url = oidc.buildEndSessionUrl(config, { client_id: s.clientId, post_logout_redirect_uri: s.postLogoutRedirectUri.href });
    return { signedOut: true, redirect: url.href };
  });
}

/** openid-client wraps the failed check (which names the claim or parameter) in a general error. */
const refusalReason = (err: Error) => (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message);

function pendingLogin(request: FastifyRequest): { state: string; nonce: string; verifier: string } {
  const raw = request.cookies[LOGIN];
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  if (!unsigned?.valid || !unsigned.value) {
    throw new HttpError(400, 'invalid-request', 'no sign-in is in progress in this browser (or it took over 10 minutes): start again', { field: 'state' });
  }
  return JSON.parse(unsigned.value) as { state: string; nonce: string; verifier: string };
}

/** How a person may sign in here, for the sign-in page. */
export function registerSignInMethods(app: FastifyInstance, settings: OidcSettings | undefined): void {
  const methods = { local: true, oidc: settings ? { name: settings.providerName, login: '/api/oidc/login' } : null };
  app.get('/api/session/methods', async () => methods);
}

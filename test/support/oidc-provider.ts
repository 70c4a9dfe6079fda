import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from './net';

/** A person at the provider: their groups claim carries role and team groups, as Entra ID and AD FS send them. */
export interface ProviderAccount {
  name: string;
  groups: string[];
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/**
 * Ways to make the provider misbehave, each a fault a real provider (or an attacker in between)
 * could produce: an ID token for another client, or one already expired.
 */
export interface ProviderFaults {
  /** Issue the next ID tokens for this other client id (it must be registered). */
  audience?: string;
  /** Issue the next ID tokens with `exp` this many seconds in the past. */
  expiredBySeconds?: number;
}

export interface TestProvider {
  issuer: string;
  faults: ProviderFaults;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (the `oidc-provider` package) on a loopback port, with its own login
 * and consent pages (any password is accepted for a known login), PKCE required, RP-initiated
 * logout, and group claims in the ID token.
 */
export async function startOidcProvider(clients: TestClient[], accounts: Record<string, ProviderAccount>): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: [c.redirectUri],
      post_logout_redirect_uris: [c.postLogoutRedirectUri],
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    async findAccount(_ctx, sub) {
      const a = accounts[sub];
      if (!a) return undefined;
      return { accountId: sub, claims: async () => ({ sub, name: a.name, groups: a.groups }) };
    },
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'groups'],
    // Put the person's claims in the ID token, as Entra ID and AD FS are set up to do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
  });
  const faults: ProviderFaults = {};
  // Fault injection: the ID token is built by the provider's own code, then re-addressed or back-dated.
  const IdToken = provider.IdToken as unknown as { prototype: { issue: (o: { use: string; expiresAt?: number }) => Promise<string>; client: unknown } };
  const issue = IdToken.prototype.issue;
  IdToken.prototype.issue = async function (this: { client: unknown }, options) {
    if (options.use === 'idtoken' && faults.audience) this.client = await provider.Client.find(faults.audience);
    if (options.use === 'idtoken' && faults.expiredBySeconds) options = { ...options, expiresAt: Math.floor(Date.now() / 1000) - faults.expiredBySeconds };
    return issue.call(this, options);
  };
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    faults,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/env';
import { identityOf } from '../../ui/server/oidc-claims';
import { loadOidcSettings, type OidcSettings } from '../../ui/server/oidc-settings';

const env = {
  OIDC_ISSUER: 'https://login.example.org/tenant/v2.0',
  OIDC_CLIENT_ID: 'care-web',
  OIDC_REDIRECT_URI: 'https://forloeb.example.org/api/oidc/callback',
  OIDC_ROLE_MAP: '{"g-coord":"coordinator","g-lead":"supervisor","g-admin":"admin"}',
};

describe('OpenID Connect settings', () => {
  it('are off when no OIDC_* variable is set', () => {
    expect(loadOidcSettings({})).toBeUndefined();
  });

  it('parse a full configuration, with defaults', () => {
    const s = loadOidcSettings(env)!;
    expect(s.issuer.href).toBe('https://login.example.org/tenant/v2.0');
    expect(s.postLogoutRedirectUri.href).toBe('https://forloeb.example.org/');
    expect(s.scopes).toBe('openid profile email');
    expect(s.claims).toEqual({ id: 'sub', name: 'name', role: 'groups', teams: 'groups' });
    expect(s.roleMap['g-lead']).toBe('supervisor');
  });

  it.each([
    [{ ...env, OIDC_ROLE_MAP: '{"g-coord":' }, /OIDC_ROLE_MAP.*not JSON/],
    [{ ...env, OIDC_ROLE_MAP: '{"g-coord":"chief"}' }, /OIDC_ROLE_MAP/],
    [{ ...env, OIDC_ROLE_MAP: '{"g-coord":"system"}' }, /OIDC_ROLE_MAP/],
    [{ ...env, OIDC_TEAM_MAP: '{"g-team":"has spaces"}' }, /OIDC_TEAM_MAP/],
    [{ ...env, OIDC_SCOPES: 'profile email' }, /OIDC_SCOPES.*openid/],
    [{ ...env, OIDC_ISSUER: 'not a url' }, /OIDC_ISSUER/],
    [{ ...env, OIDC_CLIENT_ID: undefined }, /set OIDC_CLIENT_ID/],
    [{ ...env, OIDC_ROLE_MAP: undefined }, /set OIDC_ROLE_MAP/],
    [{ OIDC_CLIENT_ID: 'care-web' }, /OIDC_CLIENT_ID set but OIDC_ISSUER is not/],
  ])('refuse a bad configuration with a clear error (%#)', (bad, message) => {
    expect(() => loadOidcSettings(bad)).toThrow(ConfigError);
    expect(() => loadOidcSettings(bad)).toThrow(message);
  });
});

describe('claims to a person', () => {
  const s: OidcSettings = { ...loadOidcSettings(env)!, teamMap: { 'g-out': 'outreach', 'g-care': 'care-place' } };

  it('maps role and teams from group values, the strongest role winning', () => {
    expect(identityOf({ sub: 'p-1', name: 'Pia', groups: ['g-coord', 'g-lead', 'g-out', 'g-care', 'g-out', 'other'] }, s)).toEqual({
      id: 'p-1',
      name: 'Pia',
      role: 'supervisor',
      teams: ['outreach', 'care-place'],
      source: 'oidc',
    });
  });

  it('reads a space-separated claim, and team ids as they are without a team map', () => {
    const noMap: OidcSettings = { ...s, teamMap: undefined, claims: { ...s.claims, role: 'roles', teams: 'teams' } };
    expect(identityOf({ sub: 'p-2', roles: 'g-admin', teams: 'outreach care-place' }, noMap)).toMatchObject({ role: 'admin', teams: ['outreach', 'care-place'], name: 'p-2' });
  });

  it('refuses a person with no mapped role, or no usable id', () => {
    expect(identityOf({ sub: 'p-3', groups: ['g-out'] }, s)).toMatchObject({ refused: 'no-role' });
    expect(identityOf({ sub: '010190-1234', groups: ['g-coord'] }, s)).toMatchObject({ refused: 'no-id' });
    expect(identityOf({ groups: ['g-coord'] }, s)).toMatchObject({ refused: 'no-id' });
  });
});

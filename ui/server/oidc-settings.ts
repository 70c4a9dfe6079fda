import { z } from 'zod';
import { describeIssues, RoleSchema, TeamIdSchema } from '../../machines';
import { ConfigError, parseEnv } from '../../config/env';

/** The roles a person may get from the identity provider (never `system`). */
export const StaffRoleSchema = RoleSchema.exclude(['system']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** A JSON object in an environment variable, e.g. `{"grp-supervisors":"supervisor"}`. */
const jsonMap = <V extends z.ZodType>(value: V) =>
  z.string().transform((raw, ctx) => {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON: write an object such as {"group-value":"…"}' });
      return z.NEVER;
    }
    const parsed = z.record(z.string().min(1), value).safeParse(data);
    if (!parsed.success) {
      ctx.addIssue({ code: 'custom', message: describeIssues(parsed.error) });
      return z.NEVER;
    }
    return parsed.data;
  });

const claimName = z.string().regex(/^[A-Za-z0-9_:./-]{1,200}$/, 'name one claim');

/** OpenID Connect sign-in from the environment; all OIDC_* unset means local accounts only. */
export const OidcEnvSchema = z.object({
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  /** Where the provider sends the browser back: this server's `/api/oidc/callback`, as registered there. */
  OIDC_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
  /** Where the provider sends the browser after its own sign-out; defaults to the redirect URI's origin. */
  OIDC_POST_LOGOUT_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_SCOPES: z.string().regex(/(^| )openid( |$)/, 'must include openid').default('openid profile email'),
  /** Shown on the sign-in button: "Sign in with <name>". */
  OIDC_PROVIDER_NAME: z.string().min(1).max(80).default('single sign-on'),
  /** The claim that gives the staff id; its value must be 1-64 letters, digits, ".", "_" or "-". */
  OIDC_ID_CLAIM: claimName.default('sub'),
  OIDC_NAME_CLAIM: claimName.default('name'),
  OIDC_ROLE_CLAIM: claimName.default('groups'),
  OIDC_TEAMS_CLAIM: claimName.default('groups'),
  /** Claim value → role; a person none of whose values is here is refused. */
  OIDC_ROLE_MAP: jsonMap(StaffRoleSchema).optional(),
  /** Claim value → team id; without it the values that are valid team ids are the teams. */
  OIDC_TEAM_MAP: jsonMap(TeamIdSchema).optional(),
});

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  redirectUri: URL;
  postLogoutRedirectUri: URL;
  scopes: string;
  providerName: string;
  claims: { id: string; name: string; role: string; teams: string };
  roleMap: Record<string, StaffRole>;
  teamMap?: Record<string, string>;
}

/** The OIDC settings, undefined when OIDC_ISSUER is unset, or a ConfigError naming what is missing or wrong. */
export function loadOidcSettings(env: Record<string, string | undefined> = process.env): OidcSettings | undefined {
  const e = parseEnv(OidcEnvSchema, env, 'OpenID Connect configuration');
  if (!e.OIDC_ISSUER) {
    const stray = Object.keys(OidcEnvSchema.shape).filter((k) => k !== 'OIDC_SCOPES' && env[k]);
    if (stray.length) throw new ConfigError(`invalid OpenID Connect configuration: ${stray.join(', ')} set but OIDC_ISSUER is not`);
    return undefined;
  }
  const missing = (['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI', 'OIDC_ROLE_MAP'] as const).filter((k) => !e[k]);
  if (missing.length) throw new ConfigError(`invalid OpenID Connect configuration: OIDC_ISSUER is set, so set ${missing.join(', ')} too`);
  const redirectUri = new URL(e.OIDC_REDIRECT_URI!);
  return {
    issuer: new URL(e.OIDC_ISSUER),
    clientId: e.OIDC_CLIENT_ID!,
    ...(e.OIDC_CLIENT_SECRET ? { clientSecret: e.OIDC_CLIENT_SECRET } : {}),
    redirectUri,
    postLogoutRedirectUri: new URL(e.OIDC_POST_LOGOUT_REDIRECT_URI ?? redirectUri.origin + '/'),
    scopes: e.OIDC_SCOPES,
    providerName: e.OIDC_PROVIDER_NAME,
    claims: { id: e.OIDC_ID_CLAIM, name: e.OIDC_NAME_CLAIM, role: e.OIDC_ROLE_CLAIM, teams: e.OIDC_TEAMS_CLAIM },
    roleMap: e.OIDC_ROLE_MAP!,
    ...(e.OIDC_TEAM_MAP ? { teamMap: e.OIDC_TEAM_MAP } : {}),
  };
}

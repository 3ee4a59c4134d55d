/** Words for the consent page. Resource scopes without a description are shown by name and API. */
const OIDC_SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are (your account identifier)',
  email: 'See your email address',
  profile: 'See your name',
  offline_access: 'Stay connected when you are not using it (refresh tokens)',
  account: 'See and sign out your sessions',
};

export function describeOidcScope(scope: string): string {
  return OIDC_SCOPE_DESCRIPTIONS[scope] ?? `Use “${scope}”`;
}

export function describeResourceScope(scope: string, resource: string): string {
  return `Use “${scope}” on ${resource}`;
}

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

/** API scopes are `<kind>:<action>` (devices:read); the common actions read as words. */
const ACTION_WORDS: Record<string, (kind: string) => string> = {
  read: (kind) => `See your company’s ${kind}`,
  write: (kind) => `Create and change your company’s ${kind}`,
  delete: (kind) => `Delete your company’s ${kind}`,
  admin: (kind) => `Administer your company’s ${kind}`,
  vnc: (kind) => `Open remote screens (VNC) of your company’s ${kind}`,
};

/** What an API scope lets the app do, in words, with the API it applies to. */
export function describeResourceScope(scope: string, resource: string): string {
  const [kind, action, ...rest] = scope.split(':');
  const words = kind && action && rest.length === 0 ? ACTION_WORDS[action]?.(kind.replace(/[_-]/g, ' ')) : undefined;
  return words ? `${words} (${resource})` : `Use “${scope}” on ${resource}`;
}

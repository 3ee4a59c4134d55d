import type { ProtectedFieldKind } from '../storage/protected-fields.js';

/**
 * The associated data each protected field is encrypted under: the kind and the owning record, so a value copied
 * onto another record, or into another field, does not decrypt there.
 */
const CONTEXTS: Record<ProtectedFieldKind, (owner: string) => string> = {
  'account.name': (accountId) => `account.name:${accountId}`,
  // The context MfaService has always used for TOTP secrets; changing it would orphan every enrolled secret.
  'account.totpSecret': (accountId) => `totp:${accountId}`,
  'client.secret': (clientId) => `client.secret:${clientId}`,
};

export function fieldContext(kind: ProtectedFieldKind, owner: string): string {
  return CONTEXTS[kind](owner);
}

import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';

interface TokenLike {
  clientId?: string;
}

/**
 * RFC 7662 §4: introspection is for resource servers, which are confidential clients introspecting tokens issued
 * to other clients. A public client (no credentials) could be anyone, so it may only ask about its own tokens.
 */
export async function introspectionAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenLike): Promise<boolean> {
  return client.clientAuthMethod !== 'none' || token.clientId === client.clientId;
}

/** RFC 7009 §2.1: a client may revoke only tokens that were issued to it. */
export async function revocationAllowed(_ctx: KoaContextWithOIDC, client: Client, token: TokenLike): Promise<boolean> {
  if (token.clientId === client.clientId) return true;
  if (client.clientAuthMethod === 'none') return false;
  throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
}

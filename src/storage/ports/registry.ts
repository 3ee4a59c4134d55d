/** Clients, resource servers and key material: the long-lived records of software. */

export interface ClientRecord {
  clientId: string;
  /** The company that owns the client; null for platform clients. */
  tenantId: string | null;
  /** RFC 7591 metadata exactly as oidc-provider expects it (client_id included). */
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** The JWS algorithms a resource server may have its JWT access tokens signed with. */
export type JwtSigningAlgorithm = 'ES256' | 'RS256' | 'EdDSA';

export interface ResourceServerRecord {
  /** The RFC 8707 resource indicator, an absolute URI. */
  identifier: string;
  tenantId: string | null;
  scopes: string[];
  /** JWT (RFC 9068) access tokens when true; opaque, introspected tokens otherwise. */
  jwtAccessTokens: boolean;
  /** Overrides the configured access-token lifetime for this audience, in seconds. */
  accessTokenTtl: number | null;
  /** How its JWT access tokens are signed; absent means ES256. */
  signingAlg?: JwtSigningAlgorithm;
  createdAt: Date;
}

/**
 * A number that changes whenever any process changes a client or a resource server, read synchronously and cheaply:
 * what the provider derives from those records is reused until it changes (oidc/registry-memo.ts). A store that
 * cannot offer one (MongoDB) has none, and every lookup reads the store.
 */
export interface RegistryVersion {
  current(): number;
}

export interface ClientRepository {
  create(client: ClientRecord): Promise<void>;
  find(clientId: string): Promise<ClientRecord | null>;
  /** Replaces a client's metadata (RFC 7592 update); false when no such client exists. */
  updateMetadata(clientId: string, metadata: Record<string, unknown>): Promise<boolean>;
  /** The company's clients ordered by client id, those after `afterClientId` only (cursor pagination). */
  listForTenant(tenantId: string, page: { afterClientId?: string; limit: number }): Promise<ClientRecord[]>;
  /** Removes a client (RFC 7592 delete); nothing happens when it does not exist. */
  delete(clientId: string): Promise<void>;
  /** Whether some client registers a redirect URI on this origin (`https://app.example`): CORS preflights ask. */
  hasRedirectUriOrigin(origin: string): Promise<boolean>;
}

export interface ResourceServerRepository {
  create(resourceServer: ResourceServerRecord): Promise<void>;
  find(identifier: string): Promise<ResourceServerRecord | null>;
  /** The company's resource servers ordered by identifier, those after `afterIdentifier` only (cursor pagination). */
  listForTenant(tenantId: string, page: { afterIdentifier?: string; limit: number }): Promise<ResourceServerRecord[]>;
  /** Removes a resource server; nothing happens when it does not exist. */
  delete(identifier: string): Promise<void>;
  /** The longest access-token lifetime any resource server overrides the default with; null when none does. */
  longestAccessTokenTtl(): Promise<number | null>;
}

/** Key material generated in development and kept in the store, so restarts keep tokens and cookies valid. */
export interface KeyMaterialRecord {
  jwks: { keys: Array<Record<string, unknown>> };
  cookieKeys: string[];
}

/** A signing key added by `keys rotate`; every instance reads these and publishes or signs with them (oidc/key-ring.ts). */
export interface RotatedSigningKeyRecord {
  kid: string;
  alg: JwtSigningAlgorithm;
  /** The private JWK as JSON, field-encrypted: never stored in clear. */
  encryptedJwk: string;
  /** Published from creation; signs from this moment on. */
  activeFrom: Date;
  createdAt: Date;
}

export interface KeyMaterialRepository {
  load(): Promise<KeyMaterialRecord | null>;
  /** Stores the material unless some is already stored; returns whichever is stored afterwards. */
  saveIfAbsent(material: KeyMaterialRecord): Promise<KeyMaterialRecord>;
  /** ConflictError when a key with this kid exists. */
  addSigningKey(key: RotatedSigningKeyRecord): Promise<void>;
  /** Oldest first. */
  listSigningKeys(): Promise<RotatedSigningKeyRecord[]>;
  /** Idempotent: removing a key another instance already removed is fine. */
  removeSigningKey(kid: string): Promise<void>;
}

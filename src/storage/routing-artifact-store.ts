import type { ConsumeResult, OidcArtifact, OidcArtifactStore } from './ports.js';

/**
 * The models that outlive a sign-in: a grant (the user's consent) and its refresh tokens last for days or weeks, so
 * they belong in the durable store that is backed up (MongoDB, or the SQLite file when there is no MongoDB). Redis
 * may run without persistence; losing these there would sign every app's users out. Everything else (sessions,
 * interactions, codes, access tokens, device codes, PAR, replay marks, …) is short-lived and high-churn: the TTL
 * store's job.
 */
export const LONG_LIVED_MODELS: ReadonlySet<string> = new Set([
  'Grant',
  'RefreshToken',
  // Tessera's record of the company a grant was consented in (oidc/active-company.ts): it lives as long as the grant,
  // and a grant without it cannot issue tokens.
  'GrantCompany',
  // A registration access token (RFC 7592) lives as long as its dynamically registered client.
  'RegistrationAccessToken',
]);

/**
 * One OidcArtifactStore over two: each call goes, by its model name, to the long-lived or the short-lived
 * store. Every port method names exactly one model, so nothing ever spans both; callers that touch several
 * models (revoking a grant and its tokens) already make one call per model.
 */
export class RoutingArtifactStore implements OidcArtifactStore {
  constructor(
    private readonly longLived: OidcArtifactStore,
    private readonly shortLived: OidcArtifactStore,
    private readonly longLivedModels: ReadonlySet<string> = LONG_LIVED_MODELS,
  ) {}

  upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void> {
    return this.storeFor(model).upsert(model, id, payload, expiresInSeconds);
  }

  find(model: string, id: string): Promise<OidcArtifact | undefined> {
    return this.storeFor(model).find(model, id);
  }

  findByUid(model: string, uid: string): Promise<OidcArtifact | undefined> {
    return this.storeFor(model).findByUid(model, uid);
  }

  findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined> {
    return this.storeFor(model).findByUserCode(model, userCode);
  }

  consume(model: string, id: string): Promise<ConsumeResult> {
    return this.storeFor(model).consume(model, id);
  }

  destroy(model: string, id: string): Promise<void> {
    return this.storeFor(model).destroy(model, id);
  }

  revokeByGrantId(model: string, grantId: string): Promise<void> {
    return this.storeFor(model).revokeByGrantId(model, grantId);
  }

  listByAccount(model: string, accountId: string): Promise<Array<{ id: string; payload: OidcArtifact }>> {
    return this.storeFor(model).listByAccount(model, accountId);
  }

  private storeFor(model: string): OidcArtifactStore {
    return this.longLivedModels.has(model) ? this.longLived : this.shortLived;
  }
}

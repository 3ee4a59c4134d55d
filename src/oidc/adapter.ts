import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { toProviderMetadata } from './client-metadata.js';
import type { ClientRepository, OidcArtifact, OidcArtifactStore } from '../storage/ports.js';

/** Models whose reuse is a replay: the loser of a consume race revokes the grant, as RFC 6749 §4.1.2 asks. */
const GRANT_SOURCES = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * oidc-provider's adapter contract over Tessera's ports. One instance per model name.
 * Clients come from the client registry; every other model is an artifact.
 */
export function createAdapterClass(artifacts: OidcArtifactStore, clients: ClientRepository, oidcScopes: ReadonlySet<string>) {
  return class TesseraAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn = 0): Promise<void> {
      if (this.model === 'Client') throw new Error('clients are registered through the client registry');
      await artifacts.upsert(this.model, id, payload as OidcArtifact, expiresIn);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') {
        const client = await clients.find(id);
        return client ? (toProviderMetadata(client.metadata, oidcScopes) as AdapterPayload) : undefined;
      }
      return (await artifacts.find(this.model, id)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await artifacts.findByUid(this.model, uid)) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return (await artifacts.findByUserCode(this.model, userCode)) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      const result = await artifacts.consume(this.model, id);
      if (result === 'consumed') return;
      // oidc-provider checked `consumed` before calling us, so getting here means a concurrent request won.
      if (GRANT_SOURCES.has(this.model)) {
        const artifact = await artifacts.find(this.model, id);
        if (artifact?.grantId) await revokeGrant(artifacts, artifact.grantId);
      }
      throw new errors.InvalidGrant('grant already consumed');
    }

    async destroy(id: string): Promise<void> {
      await artifacts.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await artifacts.revokeByGrantId(this.model, grantId);
    }
  };
}

const GRANT_BOUND_MODELS = ['AccessToken', 'ClientCredentials', ...GRANT_SOURCES];

/** What oidc-provider's own revoke helper does, for the one case it cannot see: a lost consume race. */
async function revokeGrant(artifacts: OidcArtifactStore, grantId: string): Promise<void> {
  await Promise.all([
    ...GRANT_BOUND_MODELS.map((model) => artifacts.revokeByGrantId(model, grantId)),
    artifacts.destroy('Grant', grantId),
  ]);
}

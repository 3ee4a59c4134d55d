import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { toProviderMetadata } from './client-metadata.js';
import { saveRegisteredClient } from './features/registration.js';
import { GRANT_SOURCE_MODELS, revokeGrantArtifacts } from './grant-revocation.js';
import { RegistryMemo } from './registry-memo.js';
import { translateOutage } from './store-errors.js';
import { generatedForAnotherModel } from './token-ids.js';
import type { ClientRepository, OidcArtifact, OidcArtifactStore, RegistryVersion } from '../storage/ports.js';

/**
 * oidc-provider's adapter contract over Tessera's ports. One instance per model name.
 * Clients come from the client registry; every other model is an artifact.
 */
export function createAdapterClass(
  artifacts: OidcArtifactStore,
  clients: ClientRepository,
  oidcScopes: ReadonlySet<string>,
  registryVersion?: RegistryVersion,
) {
  const providerMetadata = new RegistryMemo<AdapterPayload>(registryVersion);
  const loadClient = async (id: string) => {
    const client = await clients.find(id);
    return client ? (toProviderMetadata(client.metadata, oidcScopes, client.tenantId) as AdapterPayload) : undefined;
  };

  const notFound = Promise.resolve(undefined);

  // upsert and find are not async: they hand back the store's own promise rather than another layer around it (every
  // token is written, every introspected token is asked for as three models, and with oidc-provider's async-context
  // hooks each promise costs).
  return class TesseraAdapter implements Adapter {
    constructor(private readonly model: string) {}

    upsert(id: string, payload: AdapterPayload, expiresIn = 0): Promise<void> {
      // Only dynamic registration (RFC 7591/7592) saves clients through the provider; it goes to the registry too.
      if (this.model === 'Client') return translateOutage(() => saveRegisteredClient(clients, id, payload as Record<string, unknown>));
      return translateOutage(() => artifacts.upsert(this.model, id, payload as OidcArtifact, expiresIn));
    }

    find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return this.findClient(id);
      // Introspection and revocation ask for a token as three models at once; two of them cannot have it.
      if (generatedForAnotherModel(this.model, id)) return notFound;
      return translateOutage(() => artifacts.find(this.model, id)) as Promise<AdapterPayload | undefined>;
    }

    private async findClient(id: string): Promise<AdapterPayload | undefined> {
      return providerMetadata.fresh(id) ?? (await translateOutage(() => providerMetadata.load(id, () => loadClient(id)))) ?? undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await translateOutage(() => artifacts.findByUid(this.model, uid))) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return (await translateOutage(() => artifacts.findByUserCode(this.model, userCode))) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      await translateOutage(() => this.consumeOnce(id));
    }

    private async consumeOnce(id: string): Promise<void> {
      const result = await artifacts.consume(this.model, id);
      if (result === 'consumed') return;
      // oidc-provider checked `consumed` before calling us, so getting here means a concurrent request won.
      if (GRANT_SOURCE_MODELS.has(this.model)) {
        const artifact = await artifacts.find(this.model, id);
        if (artifact?.grantId) await revokeGrantArtifacts(artifacts, artifact.grantId);
      }
      throw new errors.InvalidGrant('grant already consumed');
    }

    async destroy(id: string): Promise<void> {
      if (this.model === 'Client') return translateOutage(() => clients.delete(id));
      await translateOutage(() => artifacts.destroy(this.model, id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await translateOutage(() => artifacts.revokeByGrantId(this.model, grantId));
    }
  };
}

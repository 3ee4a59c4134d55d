import type Provider from 'oidc-provider';
import { ValidationError } from '../shared/errors.js';
import type { ClientMetadataValidator } from '../clients/index.js';
import { toProviderMetadata } from './client-metadata.js';
import { OIDC_SCOPES } from './provider.js';

/** The provider's own metadata validation, so a client that registers is a client that loads. */
export function providerClientValidator(provider: Provider): ClientMetadataValidator {
  return async (metadata) => {
    try {
      await (provider.Client as unknown as { validate(m: unknown): Promise<void> }).validate(
        toProviderMetadata(metadata, new Set(OIDC_SCOPES)),
      );
    } catch (error) {
      const description = (error as { error_description?: string }).error_description ?? (error as Error).message;
      const field = /^(\w+)/.exec(description)?.[1];
      throw new ValidationError(description, field);
    }
  };
}

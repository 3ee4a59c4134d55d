export { providerClientValidator } from './client-validation.js';
export { createProvider, INTERACTION_PATH, type ProviderDependencies } from './provider.js';
export { revokeGrantArtifacts } from './grant-revocation.js';

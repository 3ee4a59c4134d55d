import { describeArtifactStoreContract } from '../contract/artifact-store.contract.js';
import { InMemoryArtifactStore } from './support/in-memory-artifact-store.js';

// The fake earns its place in unit tests by passing the same contract as the real adapters.
describeArtifactStoreContract('in-memory (unit-test fake)', async () => ({
  store: new InMemoryArtifactStore(),
  close: async () => {},
}));

import { describe, expect, it } from '@jest/globals';
import { ActiveCompanies } from '../../src/oidc/active-company.js';
import { InMemoryArtifactStore } from './support/in-memory-artifact-store.js';

/** The fake store, counting how often a grant's company is read from it. */
class CountingStore extends InMemoryArtifactStore {
  reads = 0;

  override find(model: string, id: string) {
    if (model === 'GrantCompany') this.reads += 1;
    return super.find(model, id);
  }
}

const lifetimes = { session: 3600, grant: 3600 };

describe('ActiveCompanies', () => {
  it("remembers a grant's company, read or written, so tokens under it do not ask the store again", async () => {
    const store = new CountingStore();
    const signInInstance = new ActiveCompanies(store, lifetimes);
    await signInInstance.setForGrant('grant-1', 'tenant-a');
    await signInInstance.setForGrant('grant-2', null);
    expect(await signInInstance.ofGrant('grant-1')).toBe('tenant-a');
    expect(await signInInstance.ofGrant('grant-2')).toBeNull();
    expect(store.reads).toBe(0);

    // Another instance sharing the store reads each grant's company once.
    const tokenInstance = new ActiveCompanies(store, lifetimes);
    for (let refresh = 0; refresh < 3; refresh += 1) {
      expect(await tokenInstance.ofGrant('grant-1')).toBe('tenant-a');
      expect(await tokenInstance.ofGrant('grant-2')).toBeNull();
    }
    expect(store.reads).toBe(2);
  });

  it('does not remember a grant it found no company for: it may be consented a moment later', async () => {
    const store = new CountingStore();
    const companies = new ActiveCompanies(store, lifetimes);
    expect(await companies.ofGrant('grant-3')).toBeUndefined();
    await new ActiveCompanies(store, lifetimes).setForGrant('grant-3', 'tenant-b');
    expect(await companies.ofGrant('grant-3')).toBe('tenant-b');
    expect(store.reads).toBe(2);
  });
});

import { describe, expect, it } from '@jest/globals';
import { StoreUnavailableError, translateOutage } from '../../src/oidc/store-errors.js';
import { DependencyUnavailableError } from '../../src/shared/errors.js';

describe('translateOutage', () => {
  it("turns a store outage into oidc-provider's 503 error, whether the call rejected or threw", async () => {
    const outage = new DependencyUnavailableError('redis');
    await expect(translateOutage(() => Promise.reject(outage))).rejects.toBeInstanceOf(StoreUnavailableError);
    // A throw before any promise is made still comes back as a rejection, never out of translateOutage itself.
    const thrown = translateOutage(() => {
      throw outage;
    });
    await expect(thrown).rejects.toMatchObject({ statusCode: 503, error: 'temporarily_unavailable', cause: outage });
  });

  it('passes every other failure, and every result, through unchanged', async () => {
    const bug = new TypeError('not an outage');
    await expect(translateOutage(() => Promise.reject(bug))).rejects.toBe(bug);
    await expect(translateOutage(() => Promise.resolve('found'))).resolves.toBe('found');
  });
});

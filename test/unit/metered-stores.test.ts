import { describe, expect, it } from '@jest/globals';
import { meterStores } from '../../src/observability/metered-stores.js';
import { Metrics } from '../../src/observability/metrics.js';
import type { Stores } from '../../src/storage/index.js';

const sample = async (metrics: Metrics, name: string) => (await metrics.registry.getSingleMetricAsString(name)).split('\n');

/** An audit port that fails every write, each in its own way: a rejected promise, or a callback. */
function failingAudit() {
  return {
    append: () => Promise.reject(new Error('disk full')),
    appendLater: (_record: unknown, _link: unknown, onFailure: (error: unknown) => void) => {
      setImmediate(() => onFailure(new Error('disk full')));
    },
  };
}

describe('store metering', () => {
  it('times awaited calls, counts failed ones, and counts failures reported through a callback without timing them', async () => {
    const metrics = new Metrics();
    const stores = meterStores({ audit: failingAudit() } as unknown as Stores, metrics);

    await expect(stores.audit.append({} as never, () => '')).rejects.toThrow('disk full');
    const reported = await new Promise<unknown>((resolve) => stores.audit.appendLater({} as never, () => '', resolve));

    expect(String(reported)).toMatch(/disk full/);
    const errors = await sample(metrics, 'tessera_store_errors_total');
    expect(errors).toContain('tessera_store_errors_total{port="audit",operation="append"} 1');
    expect(errors).toContain('tessera_store_errors_total{port="audit",operation="appendLater"} 1');
    const durations = await sample(metrics, 'tessera_store_operation_duration_seconds');
    expect(durations).toContain('tessera_store_operation_duration_seconds_count{port="audit",operation="append"} 1');
    expect(durations.some((line) => line.includes('operation="appendLater"'))).toBe(false);
  });
});

import type { Stores } from '../storage/index.js';
import type { Metrics } from './metrics.js';

/** Members of Stores that are not ports: the health checks and the lifecycle. */
const NOT_PORTS = new Set(['health', 'close']);

/**
 * Times every storage call and counts the failures, per port and operation, without the adapters knowing: each
 * port object is wrapped in a Proxy whose methods time the promise they return. Ports added to Stores later are
 * covered without a change here. Results that are not promises (an async iterator) pass through untimed.
 */
export function meterStores(stores: Stores, metrics: Metrics): Stores {
  const metered: Record<string, unknown> = { ...stores };
  for (const [name, port] of Object.entries(stores)) {
    if (NOT_PORTS.has(name) || !port || typeof port !== 'object') continue;
    metered[name] = meterPort(name, port as object, metrics);
  }
  return metered as unknown as Stores;
}

function meterPort<T extends object>(portName: string, port: T, metrics: Metrics): T {
  return new Proxy(port, {
    get(target, property) {
      // The target, not the proxy, as `this`: adapters with #private fields reject any other receiver.
      const value = Reflect.get(target, property);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        const labels = { port: portName, operation: property };
        const stop = metrics.storeDuration.startTimer(labels);
        return result.then(
          (resolved) => {
            stop();
            return resolved;
          },
          (error: unknown) => {
            stop();
            metrics.storeErrors.inc(labels);
            throw error;
          },
        );
      };
    },
  });
}

import type { Stores } from '../storage/index.js';
import type { Metrics } from './metrics.js';

/**
 * Members of Stores that are not storage calls worth timing: the health checks, the lifecycle, and the registry's
 * version counter (a synchronous read on every client lookup, whose point is to be cheaper than the lookup).
 */
const NOT_PORTS = new Set(['health', 'close', 'registryVersion']);

/**
 * Methods that make no promise and report a failure through a callback, their last argument: counted when they fail,
 * not timed (the caller does not wait, and the time would be how long the adapter held the write back).
 */
const REPORTS_THROUGH_CALLBACK = new Set(['appendLater']);

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
  // One wrapper per method, made on first use and kept: a store call is on every request's path, and making a
  // closure, a labels object and a prom-client timer for each call was measurable there.
  const wrappers = new Map<string, { original: (...args: unknown[]) => unknown; metered: (...args: unknown[]) => unknown }>();
  return new Proxy(port, {
    get(target, property) {
      // The target, not the proxy, as `this`: adapters with #private fields reject any other receiver.
      const value = Reflect.get(target, property);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      const known = wrappers.get(property);
      if (known?.original === value) return known.metered;
      const original = value as (...args: unknown[]) => unknown;
      const labels = { port: portName, operation: property };
      const metered = REPORTS_THROUGH_CALLBACK.has(property)
        ? countedFailures(original, target, labels, metrics)
        : timed(original, target, labels, metrics);
      wrappers.set(property, { original, metered });
      return metered;
    },
  });
}

function timed(
  method: (...args: unknown[]) => unknown,
  target: object,
  labels: { port: string; operation: string },
  metrics: Metrics,
): (...args: unknown[]) => unknown {
  // Bound to its labels once: prom-client otherwise hashes the labels object on every observation.
  const duration = metrics.storeDuration.labels(labels);
  const errors = metrics.storeErrors.labels(labels);
  return (...args) => {
    const started = performance.now();
    const result: unknown = method.apply(target, args);
    if (!(result instanceof Promise)) return result;
    return result.then(
      (resolved) => {
        duration.observe((performance.now() - started) / 1000);
        return resolved;
      },
      (error: unknown) => {
        duration.observe((performance.now() - started) / 1000);
        errors.inc();
        throw error;
      },
    );
  };
}

function countedFailures(
  method: (...args: unknown[]) => unknown,
  target: object,
  labels: { port: string; operation: string },
  metrics: Metrics,
): (...args: unknown[]) => unknown {
  const errors = metrics.storeErrors.labels(labels);
  return (...args) => {
    const onFailure = args.at(-1) as (error: unknown) => void;
    args[args.length - 1] = (error: unknown) => {
      errors.inc();
      onFailure(error);
    };
    return method.apply(target, args);
  };
}

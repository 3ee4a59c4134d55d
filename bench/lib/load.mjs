// Autocannon, programmatically, with exact latencies: autocannon's own histogram is integer milliseconds, too
// coarse for sub-millisecond endpoints, so every response time is also recorded here from its 'response' event.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function median(values) {
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return null;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

export function latencySummary(latencies) {
  const sorted = Float64Array.from(latencies).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.length ? sorted[sorted.length - 1] : NaN };
}

/**
 * One autocannon run. `requests` as autocannon takes them (setupRequest/onResponse for dynamic bodies).
 * Returns ok (2xx) count, non-2xx, errors, req/s of 2xx and latency percentiles in ms.
 */
export function cannon({ url, path, connections, seconds, amount, requests, overallRate, method, headers, body, check }) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    let ok = 0;
    let non2xx = 0;
    // `check(status, body)`: a 2xx whose body is wrong (an introspection saying active: false) counts as failed.
    let invalid = 0;
    const checked = check
      ? (requests ?? [{ method: method ?? 'GET', headers, body }]).map((request) => ({
          ...request,
          onResponse: (status, responseBody, context, responseHeaders) => {
            if (status >= 200 && status < 300 && !check(status, responseBody)) invalid += 1;
            request.onResponse?.(status, responseBody, context, responseHeaders);
          },
        }))
      : requests;
    const statuses = {};
    const t0 = performance.now();
    const instance = autocannon(
      {
        url: path ? new URL(path, url).toString() : url,
        connections,
        ...(amount ? { amount } : { duration: seconds }),
        pipelining: 1,
        timeout: 10,
        ...(overallRate ? { overallRate } : {}),
        ...(checked ? { requests: checked } : { method: method ?? 'GET', headers, body }),
      },
      (error, result) => {
        if (error) return reject(error);
        // autocannon's own `duration` is whole seconds (in amount mode it ends on its next 1 s tick): the time
        // here runs from the start to the last answer.
        const elapsed = ((lastResponseAt ?? performance.now()) - t0) / 1000;
        const summary = latencySummary(latencies);
        resolve({
          ok: ok - invalid,
          non2xx: non2xx + invalid,
          invalid,
          errors: result.errors + result.timeouts,
          statuses,
          seconds: elapsed,
          rps: (ok - invalid) / elapsed,
          p50: summary.p50,
          p99: summary.p99,
          max: summary.max,
        });
      },
    );
    let lastResponseAt;
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      lastResponseAt = performance.now();
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        latencies.push(responseTime);
      } else non2xx += 1;
    });
  });
}

import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds; from a cached read to an Argon2 sign-in, with the tail a slow store or a throttled client shows. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Every Prometheus metric Tessera exports, in one registry per server (not prom-client's global one, so several
 * servers in one process, as in the tests, never collide). Labels are bounded sets only: route patterns, statuses,
 * outcome names, port and method names; never an id, an email or a raw path.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'tessera_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being ready, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'tessera_rate_limited_total',
    help: 'Requests refused with 429 by a per-IP rate limit, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly logins = new Counter({
    name: 'tessera_logins_total',
    help: 'Sign-in steps checked, by outcome (succeeded, failed) and step (password, second_factor)',
    labelNames: ['outcome', 'step'] as const,
    registers: [this.registry],
  });

  readonly lockouts = new Counter({
    name: 'tessera_login_lockouts_total',
    help: 'Sign-in attempts refused unchecked because the account, the client IP or the pair is locked out',
    registers: [this.registry],
  });

  readonly tokensIssued = new Counter({
    name: 'tessera_tokens_issued_total',
    help: 'Tokens issued by the token endpoint, by grant type and token type',
    labelNames: ['grant_type', 'token_type'] as const,
    registers: [this.registry],
  });

  readonly storeDuration = new Histogram({
    name: 'tessera_store_operation_duration_seconds',
    help: 'Storage calls, by port and operation',
    labelNames: ['port', 'operation'] as const,
    buckets: STORE_BUCKETS,
    registers: [this.registry],
  });

  readonly storeErrors = new Counter({
    name: 'tessera_store_errors_total',
    help: 'Storage calls that failed, by port and operation',
    labelNames: ['port', 'operation'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Process and runtime metrics, among them nodejs_eventloop_lag_seconds and its percentiles.
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

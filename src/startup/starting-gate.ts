import type { RequestListener } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyUnavailableError } from '../shared/errors.js';
import type { OperationalLog } from '../shared/operational-log.js';

export interface StartingGateOptions {
  log: OperationalLog;
  /** Milliseconds to wait after the n-th failed attempt (n from 1); a capped doubling by default. */
  backoff?: (failures: number) => number;
  /** Waits `ms`, or rejects as soon as `signal` aborts; injected by tests so that no test really waits. */
  wait?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15_000;

/** 1 s, 2 s, 4 s, 8 s, then every 15 s: quick to notice a store that was a moment late, gentle on one that is down. */
export function cappedBackoff(failures: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** (failures - 1), MAX_DELAY_MS);
}

/**
 * Lets the server listen before what it serves can be built. The listeners start at once with `listener()`s that
 * answer through a "starting" handler; meanwhile `start()` builds the real thing (connect the stores, sync their
 * indexes, compose the app) and tries again, forever, for as long as a dependency is unavailable. Once it is built
 * every listener switches to the real handler in place: no restart, no port bound twice.
 *
 * Only DependencyUnavailableError is worth waiting for; any other failure (bad configuration, bad key material) will
 * not get better by itself, so `start()` rejects with it at once.
 */
export class StartingGate<Built> {
  private readonly swaps: Array<(built: Built) => void> = [];
  private readonly stopping = new AbortController();
  private readonly backoff: (failures: number) => number;
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<unknown>;
  private awaited: string[] = [];

  constructor(
    private readonly build: () => Promise<Built>,
    private readonly options: StartingGateOptions,
  ) {
    this.backoff = options.backoff ?? cappedBackoff;
    this.wait = options.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }));
  }

  /** The dependencies the last attempt found unavailable (none before the first attempt has failed). */
  get waitingFor(): readonly string[] {
    return this.awaited;
  }

  /** A request listener that answers with `whileStarting` until the build succeeds, then with `once(built)`. */
  listener(whileStarting: RequestListener, once: (built: Built) => RequestListener): RequestListener {
    let current = whileStarting;
    this.swaps.push((built) => {
      current = once(built);
    });
    return (request, response) => current(request, response);
  }

  /**
   * Builds, retrying while a dependency is unavailable. Resolves with what was built once every listener serves it;
   * with undefined when stop() came first. An attempt already running when stop() is called is let finish: if it
   * succeeds, its result is resolved without being served, so that the caller can close it.
   */
  async start(): Promise<Built | undefined> {
    for (let failures = 0; !this.stopping.signal.aborted; ) {
      let built: Built;
      try {
        built = await this.build();
      } catch (error) {
        if (!(error instanceof DependencyUnavailableError)) throw error;
        if (this.stopping.signal.aborted) break;
        failures += 1;
        this.awaited = [error.dependency];
        const delayMs = this.backoff(failures);
        this.options.log.warn(
          { attempt: failures, waitingFor: error.dependency, reason: reasonOf(error), retryInMs: delayMs },
          `cannot start yet: ${error.dependency} is unavailable; answering 503 and trying again`,
        );
        try {
          await this.wait(delayMs, this.stopping.signal);
        } catch {
          // Aborted: stop() was called.
        }
        continue;
      }
      if (this.stopping.signal.aborted) return built;
      for (const swap of this.swaps) swap(built);
      this.awaited = [];
      if (failures > 0) this.options.log.info({ attempts: failures + 1 }, 'dependencies available; started');
      return built;
    }
    return undefined;
  }

  /** Stops trying (on shutdown): a pending wait ends at once and no further attempt starts. */
  stop(): void {
    this.stopping.abort();
  }
}

/**
 * What the dependency said, for the operator (e.g. "connect ECONNREFUSED 10.0.0.5:27017"), with any credentials of a
 * URL the driver may have quoted taken out: a log line must never carry the password of MONGODB_URI or REDIS_URL.
 */
function reasonOf(error: DependencyUnavailableError): string {
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  return cause.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1[redacted]@');
}

import type { SecurityCounters } from '../storage/ports.js';

/** How often the hits counted locally reach the shared store, so other instances see them. */
const DEFAULT_FLUSH_INTERVAL_MS = 1000;
/** Keys held locally at most; further keys are counted in the store on every request, as without local counting. */
const DEFAULT_MAX_KEYS = 100_000;
/**
 * Budgets below this are counted in the store on every request: local counting saves at most half the budget in
 * round trips per window and key, nothing worth for small budgets, while the other instances' unflushed hits would
 * be a large share of them.
 */
const LOCAL_COUNTING_MIN_LIMIT = 100;

/** One key's window as this instance knows it. */
interface LocalWindow {
  /** The count the shared store last reported (after the latest call this instance started). */
  shared: number;
  /** Hits counted here since and not yet sent to the store. */
  pending: number;
  /**
   * Epoch ms when this instance drops the window: one window after the request that began it locally, so no
   * earlier than a moment before the store's window ends. Dropping early costs an exact call; holding on past the
   * store's end only keeps a higher count than the store's, which errs on the side of the limit.
   */
  endsAt: number;
  /** Numbers the store calls, so an answer that arrives after a later call's answer cannot overwrite it. */
  lastCall: number;
  /** The call whose answer `shared` is; 0 while the store has not answered yet (nothing is counted locally then). */
  lastApplied: number;
}

export type WindowHit =
  | { counted: true; hits: number }
  /** The store failed; `report` is true for the first failure in a window, so an outage logs once, not per request. */
  | { counted: false; error: unknown; report: boolean };

export interface RateLimitWindowsOptions {
  windowSeconds: number;
  /** Flush failures go here (at most one a window); request-path failures are returned to the caller instead. */
  onFlushError: (error: unknown) => void;
  now?: () => number;
  maxKeys?: number;
  flushIntervalMs?: number;
}

/**
 * Per-key fixed windows counted locally and reconciled with the shared SecurityCounters in batches, so a request
 * far below its budget costs no store round trip. The prior art is Kong's rate-limiting plugin (`sync_rate`: count
 * in memory, push to the shared store every so often) and Envoy's local rate limit in front of its global one.
 *
 * - A key without a live local window goes to the store (exact) and remembers the count it got back.
 * - While the estimate (last shared count + local pending hits + this one) stays at or under half the limit, the hit
 *   is only counted here. Past half, every request goes to the store again, carrying this instance's pending hits in
 *   the same call, so decisions near the limit are the store's own.
 * - Pending hits are sent to the store at least every second, one call per key (and on close).
 *
 * The price: another instance may hold up to a second's worth of unflushed hits, never more than half the limit
 * each, that the store has not seen when this one decides near the limit. With N instances, an IP can get at most
 * (N − 1) × half the limit more than its budget in a window, and only if it spends the budget within about a second.
 */
export class RateLimitWindows {
  readonly windowSeconds: number;
  private readonly windows = new Map<string, LocalWindow>();
  private readonly now: () => number;
  private readonly maxKeys: number;
  private timer: NodeJS.Timeout | undefined;
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly counters: SecurityCounters,
    private readonly options: RateLimitWindowsOptions,
  ) {
    this.windowSeconds = options.windowSeconds;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  /** Counts one hit under `key` and returns the window's hits so far (an estimate while far below `limit`). */
  async hit(key: string, limit: number): Promise<WindowHit> {
    const now = this.now();
    const known = this.windows.get(key);
    const live = known && known.endsAt > now ? known : undefined;
    if (live && countsLocally(live, limit)) {
      live.pending += 1;
      return { counted: true, hits: live.shared + live.pending };
    }
    // Hits still pending go with this call. After the local window ended they may belong to the store's new
    // window; if they do not, counting them there errs on the side of the limit.
    const carried = known?.pending ?? 0;
    if (known) known.pending = 0;
    if (known && !live) this.windows.delete(key);
    const window = live ?? (limit >= LOCAL_COUNTING_MIN_LIMIT ? this.track(key, now) : undefined);
    try {
      return { counted: true, hits: await this.send(key, carried + 1, window) };
    } catch (error) {
      if (window) window.pending += carried;
      return { counted: false, error, report: this.shouldReport() };
    }
  }

  /** Sends every key's pending hits to the store and forgets windows that are over. */
  async flush(): Promise<void> {
    const now = this.now();
    const sends: Array<Promise<unknown>> = [];
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(key);
      if (window.pending === 0) continue;
      const by = window.pending;
      window.pending = 0;
      sends.push(
        this.send(key, by, window).catch((error: unknown) => {
          if (this.windows.get(key) === window) window.pending += by;
          if (this.shouldReport()) this.options.onFlushError(error);
        }),
      );
    }
    if (this.windows.size === 0) this.stopTicking();
    await Promise.all(sends);
  }

  /** Stops the timer and hands the store what is still pending; for shutdown, before the stores close. */
  async close(): Promise<void> {
    this.stopTicking();
    await this.flush();
    this.windows.clear();
  }

  /** Local windows held now (for tests of the memory bound). */
  get size(): number {
    return this.windows.size;
  }

  /** A new local window for `key`, or none when the bound is reached (the key is then counted in the store only). */
  private track(key: string, now: number): LocalWindow | undefined {
    if (this.windows.size >= this.maxKeys) return undefined;
    const window = { shared: 0, pending: 0, endsAt: now + this.windowSeconds * 1000, lastCall: 0, lastApplied: 0 };
    this.windows.set(key, window);
    this.startTicking();
    return window;
  }

  private async send(key: string, by: number, window: LocalWindow | undefined): Promise<number> {
    const call = window ? ++window.lastCall : 0;
    const hits = await this.counters.hit(key, this.windowSeconds, by);
    if (window && call > window.lastApplied) {
      window.lastApplied = call;
      window.shared = hits;
      // Only this call's hits in the store: the store's window opened with it, so ours may end a window from now.
      if (hits === by) window.endsAt = this.now() + this.windowSeconds * 1000;
    }
    return hits;
  }

  private shouldReport(): boolean {
    const now = this.now();
    if (now - this.lastReportAt < this.windowSeconds * 1000) return false;
    this.lastReportAt = now;
    return true;
  }

  private startTicking(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private stopTicking(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** Whether this hit may be counted here alone: the store has answered, the budget is large, and we are far below it. */
function countsLocally(window: LocalWindow, limit: number): boolean {
  return (
    window.lastApplied > 0 && limit >= LOCAL_COUNTING_MIN_LIMIT && window.shared + window.pending + 1 <= limit / 2
  );
}

import Router from '@koa/router';
import type { HealthCheck } from '../storage/ports.js';

const CHECK_TIMEOUT_MS = 1000;

/**
 * /healthz answers from memory: a liveness probe must not fail (and restart the process) because a store is down.
 * /readyz asks every store, each within a second, and says which failed.
 */
export function healthRoutes(checks: HealthCheck[]): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const results = await Promise.all(
      checks.map(async (check) => [check.name, await probe(check)] as const),
    );
    const ready = results.every(([, status]) => status === 'ok');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
  });
  return router;
}

async function probe(check: HealthCheck): Promise<'ok' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => resolve('down'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().then(() => 'ok' as const), timeout]);
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

// Preloaded into every benchmarked server (`node --import bench/lib/probe.mjs …`), Tessera and baseline alike.
// It adds nothing to the request path: a side listener on BENCH_PROBE_PORT (loopback), used only between runs,
// reports event-loop delay (perf_hooks.monitorEventLoopDelay), memory and CPU, and starts/stops a V8 CPU profile
// (node:inspector) around exactly the runs being profiled.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const port = Number(process.env.BENCH_PROBE_PORT);
if (port) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let session;
  const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
  const handlers = {
    '/reset': async () => {
      loop.reset();
      return { ok: true };
    },
    '/stats': async () => ({
      loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), mean: ms(loop.mean) },
      memory: process.memoryUsage(),
      cpu: process.cpuUsage(),
      pid: process.pid,
    }),
    '/profile/start': async () => {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
      return { ok: true };
    },
    '/profile/stop': async (url) => {
      if (!session) return { ok: false };
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      session = undefined;
      const file = url.searchParams.get('file');
      if (file) writeFileSync(file, JSON.stringify(profile));
      return { ok: true, file };
    },
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://probe');
    const handler = handlers[url.pathname];
    try {
      const body = handler ? await handler(url) : { error: 'not found' };
      res.writeHead(handler ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
    }
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}

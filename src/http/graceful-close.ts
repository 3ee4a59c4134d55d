import type { Server } from 'node:http';

/** How often idle keep-alive connections are closed while waiting: a connection becomes idle when its response ends. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops the listeners accepting connections and waits for the requests in flight to finish, at most `timeoutMs`;
 * whatever is still open then is cut off. Keep-alive connections are closed as soon as they are idle, so a client
 * that holds one open cannot stretch the shutdown to the full timeout. Resolves with how many connections were cut.
 */
export async function closeGracefully(servers: Server[], timeoutMs: number): Promise<{ cutOff: number }> {
  const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  const sweep = () => servers.forEach((server) => server.closeIdleConnections());
  sweep();
  const sweeper = setInterval(sweep, IDLE_SWEEP_MS);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  try {
    if ((await Promise.race([closed.then(() => false), timedOut])) === false) return { cutOff: 0 };
    const cutOff = (await Promise.all(servers.map(openConnections))).reduce((sum, count) => sum + count, 0);
    servers.forEach((server) => server.closeAllConnections());
    await closed;
    return { cutOff };
  } finally {
    clearInterval(sweeper);
    clearTimeout(timer);
  }
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
}

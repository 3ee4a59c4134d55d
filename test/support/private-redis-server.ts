import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { tmpdir } from 'node:os';

/**
 * A redis-server of the test's own, for the failure tests: pausing or stopping the shared server that
 * scripts/test.sh starts would break the test files running next to this one.
 */
export class PrivateRedisServer {
  private process: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  /** Reserves a free port; nothing listens on it until start(). */
  static async reserve(): Promise<PrivateRedisServer> {
    return new PrivateRedisServer(await freePort());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * @param persistIn a folder for an fsync-always append-only file, so data survives a crash and restart (the
   * production setting); without it the server keeps nothing.
   */
  async start(persistIn?: string): Promise<void> {
    const persistence = persistIn
      ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', persistIn]
      : ['--appendonly', 'no', '--dir', tmpdir()];
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
      stdio: 'ignore',
    });
    await waitForPort(this.port);
  }

  /** SIGTERM for an orderly stop; SIGKILL to play a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill(signal);
    await once(child, 'exit');
  }
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

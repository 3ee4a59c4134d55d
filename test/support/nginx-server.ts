import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './private-redis-server.js';

export interface NginxTargets {
  tesseraPort: number;
  upstreamPort: number;
}

/**
 * A real nginx (Debian's package) of the test's own, running the documented configuration
 * (docs/gateways/nginx.conf) with its hosts and ports pointed at the test's servers and its files in a temp folder.
 */
export class NginxServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(configFile: string, targets: NginxTargets): Promise<NginxServer> {
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-nginx-'));
    for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, temp));
    const port = await freePort();
    const config = readFileSync(configFile, 'utf8')
      .replace('worker_processes auto;', 'worker_processes 1;')
      .replace('server tessera:3000;', `server 127.0.0.1:${targets.tesseraPort};`)
      .replace('server api:8080;', `server 127.0.0.1:${targets.upstreamPort};`)
      .replace('listen 80;', `listen 127.0.0.1:${port};`)
      .replace(
        'http {',
        `http {\n  access_log off;\n${['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
          .map((temp) => `  ${temp === 'body' ? 'client_body' : temp}_temp_path ${path.join(dir, temp)};`)
          .join('\n')}`,
      );
    writeFileSync(path.join(dir, 'nginx.conf'), config);
    const child = spawn(
      // Debian puts it in /usr/sbin, which an ordinary user's PATH may lack.
      existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx',
      ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log'), '-g', `daemon off; pid ${path.join(dir, 'nginx.pid')};`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const server = new NginxServer(child, dir, port);
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${server.errorLog()}`);
      if (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false)) return server;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await server.stop();
    throw new Error(`nginx did not start on port ${port}: ${stderr}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  errorLog(): string {
    try {
      return readFileSync(path.join(this.dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      // SIGQUIT: nginx's graceful shutdown; the master takes its worker down with it.
      this.child.kill('SIGQUIT');
      await once(this.child, 'exit');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

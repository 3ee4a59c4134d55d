import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * The server runs with a 64 MiB young generation and without allocation-site pretenuring (docs/production.md,
 * "Memory"). Every way of starting it says so on its own command line; the benchmark must start the same runtime as production, or its figures measure something
 * nobody runs.
 */
describe('the Node flags the server runs with', () => {
  const YOUNG_GENERATION = '--max-semi-space-size=64';
  const NO_PRETENURING = '--no-allocation-site-pretenuring';

  it('are the same for npm start, the container image, the benchmark and the built-server tests', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const dockerCommand = read('Dockerfile').split('\n').find((line) => line.startsWith('CMD '));
    expect(start).toContain(`node --disable-warning=ExperimentalWarning ${YOUNG_GENERATION} ${NO_PRETENURING} dist/src/main.js`);
    expect(JSON.parse(dockerCommand!.slice('CMD '.length))).toEqual([
      'node',
      '--disable-warning=ExperimentalWarning',
      YOUNG_GENERATION,
      NO_PRETENURING,
      'dist/src/main.js',
    ]);
    expect(read('bench/lib/processes.mjs')).toContain(
      `SERVER_NODE_FLAGS = ['--disable-warning=ExperimentalWarning', '${YOUNG_GENERATION}', '${NO_PRETENURING}']`,
    );
    expect(read('test/support/built-server.ts')).toContain(
      `nodeFlags = ['--disable-warning=ExperimentalWarning', '${YOUNG_GENERATION}', '${NO_PRETENURING}']`,
    );
  });
});

import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/observability/logger.js';

/** The real logger (redaction included), writing its JSON lines into an array instead of stdout. */
export function capturedLogger(level = 'debug'): { logger: Logger; lines: () => Array<Record<string, unknown>>; raw: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const raw = () => chunks.join('');
  const lines = () =>
    raw()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger: createLogger(level, destination), lines, raw };
}

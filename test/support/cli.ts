import { runCli } from '../../src/cli/run.js';

export interface CliResult {
  code: number;
  stderr: string;
  /** stdout parsed as JSON; undefined when nothing was printed. */
  json: any;
}

/**
 * The admin CLI in-process, against the store that `env` configures, with stdin and stdout captured. Arguments
 * are one string split on spaces; "double quotes" keep a value with spaces together.
 */
export function cliAgainst(env: Record<string, string>) {
  return async (args: string, stdin = ''): Promise<CliResult> => {
    let stdout = '';
    let stderr = '';
    const argv = (args.match(/"[^"]*"|\S+/g) ?? []).map((arg) => arg.replace(/^"|"$/g, ''));
    const code = await runCli(argv, {
      env: { LOG_LEVEL: 'silent', ...env },
      stdin: async () => stdin,
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
    });
    return { code, stderr, json: stdout ? JSON.parse(stdout) : undefined };
  };
}

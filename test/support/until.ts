/**
 * Polls `condition` (sync or async) every `intervalMs` until it holds; throws once `timeoutMs` has passed without it.
 * For what a test cannot await: a child process's output, writes made after the response (audit events).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

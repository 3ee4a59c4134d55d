/**
 * Runs `call` and hands back its promise with every failure, whether `call` threw or its promise rejected, replaced by
 * `convert(error)` and always as a rejection. Not an async function: the store calls on every token request pass
 * here, and an async wrapper would add two promises to each, which oidc-provider's async-context hooks make cost.
 */
export function convertingFailures<T>(call: () => Promise<T>, convert: (error: unknown) => unknown): Promise<T> {
  try {
    return call().catch((error: unknown) => {
      throw convert(error);
    });
  } catch (error) {
    return Promise.reject(convert(error));
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The mails the development mailer wrote under DATA_DIR/outbox, oldest first. */
export function outbox(dataDir: string): Array<{ file: string; text: string }> {
  const dir = path.join(dataDir, 'outbox');
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return files.map((file) => ({ file, text: readFileSync(path.join(dir, file), 'utf8') }));
}

/** Waits for a mail to `to` whose text matches, since reset mails are sent after the response. */
export async function waitForMail(dataDir: string, to: string, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mail = outbox(dataDir).reverse().find((entry) => entry.text.includes(to) && pattern.test(entry.text));
    if (mail) return mail.text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail to ${to} matching ${pattern}`);
}

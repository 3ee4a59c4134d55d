import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's chromium package; scripts/test.sh installs it when missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(import.meta.dirname, '..', 'screenshots');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface E2eBrowser {
  context: BrowserContext;
  page: Page;
  /** Every URL the pages asked for (to prove there are no third-party assets). */
  requested: string[];
  close(): Promise<void>;
}

/**
 * One headless Chromium with a fresh profile of its own, so two of them share nothing (no cookies, no cache):
 * like two devices. Pages under `relyingParty` are answered locally: the flow ends at the client's redirect_uri.
 */
export async function launchBrowser(options: { relyingParty: string } & BrowserContextOptions): Promise<E2eBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/test.sh (it installs Debian's chromium)`);
  const { relyingParty, ...contextOptions } = options;
  const profile = mkdtempSync(path.join(tmpdir(), 'tessera-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    ...contextOptions,
  });
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  await context.route(`${relyingParty}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/plain', body: 'relying party callback' }),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requested,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A full-page PNG under test/e2e/screenshots/ (gitignored), for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

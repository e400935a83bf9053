import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium: tests never download a browser of their own. */
export const CHROMIUM_PATH = process.env.PASIS_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run here. Without chromium they are skipped with a loud
 * message, except under `CI=true`, where a missing browser is a failure.
 */
export function browserAvailable(suite: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${suite}: chromium is missing at ${CHROMIUM_PATH}; .ci/run installs Debian's chromium.`);
  }
  console.warn(
    `\n⚠️  SKIPPED ${suite}: no chromium at ${CHROMIUM_PATH}. Install it with \`apt-get install chromium\` to run it.\n`,
  );
  return false;
}

/** Headless chromium with the flags this closed-network machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

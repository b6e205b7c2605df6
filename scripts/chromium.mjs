// How tests and the benchmark launch Chromium: Debian's where it is installed (no browser download
// is possible here), Playwright's own elsewhere. Plain JS, so playwright.config.ts and the built
// benchmark both import it as it is.
import { existsSync } from 'node:fs';

/** Flags that keep a root, offline Chromium from trying to reach the network. */
const OFFLINE_ROOT_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Launch options for Playwright's `chromium.launch`; empty where Debian's Chromium is absent. */
export function chromiumLaunchOptions() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return {};
  return { executablePath, args: [...OFFLINE_ROOT_FLAGS] };
}

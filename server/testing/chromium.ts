/**
 * Debian's Chromium as the e2e tests and bench:map launch it (Playwright's own
 * browser download cannot work here): no sandbox (CI runs as root), no GPU,
 * nothing in the background that would add load or reach the network.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

// The site's browser tests: Debian's Chromium (never a downloaded browser),
// one worker against one fresh `sejour serve` that tests/support/server.ts
// starts with the demo data and stops at the end.
import { defineConfig } from "@playwright/test";

/** The flags of a headless Chromium in a container, with nothing calling home. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export default defineConfig({
  testDir: "tests",
  testMatch: "*.spec.ts",
  outputDir: "test-results",
  globalSetup: "./tests/support/server.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // CI is a 2-core machine with a 90-minute budget for everything.
  globalTimeout: 15 * 60_000,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    // Set by the global setup (tests/support/server.ts) before the workers start.
    baseURL: process.env.E2E_BASE_URL,
    browserName: "chromium",
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
    viewport: { width: 360, height: 800 },
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 20_000,
  },
});

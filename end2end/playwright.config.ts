import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium; Playwright never downloads a browser here.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// `E2E_SUITE=smoke` (used for the debug build) runs only the tests tagged @smoke; the release
// build runs everything, including the page-weight budget.
const smokeOnly = process.env.E2E_SUITE === "smoke";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  grep: smokeOnly ? /@smoke/ : undefined,
  reporter: [["list"]],
  use: {
    // BASE_URL lets a second copy of the app run on other ports (LEPTOS_SITE_ADDR,
    // DODO_SANDBOX_ADDR) while another is on 3000/4010.
    baseURL: process.env.BASE_URL ?? "http://127.0.0.1:3000",
    trace: "off",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
});

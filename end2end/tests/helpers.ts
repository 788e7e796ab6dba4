import { expect, type Page } from "@playwright/test";

/** Opens `path` and waits until the islands are hydrated, so clicks reach real handlers. */
export async function openHydrated(page: Page, path: string) {
  const response = await page.goto(path);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  return response;
}

/** Collects page errors and console errors; assert it is empty at the end of a test. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The embedded Dodo sandbox of the app under test (its control API is under /_sandbox). */
export const SANDBOX_URL = process.env.SANDBOX_URL ?? "http://127.0.0.1:4010";
export const SANDBOX_API_KEY = "sandbox_sk_test";

/** The admin key the e2e server runs with (scripts/test.sh sets the same), for POST /api/links. */
export const ADMIN_API_KEY = process.env.ADMIN_API_KEY ?? "e2e-admin-key-0123456789abcdef";

/** The merchant origins the e2e server allows to frame its pages (MERCHANT_ORIGINS).
 * `E2E_MERCHANT_PORT` moves the three stand-in merchants (port, port + 1, port + 2) for a
 * second copy of the suite on the same machine. */
const MERCHANT_BASE_PORT = Number(process.env.E2E_MERCHANT_PORT ?? 3900);
export const MERCHANT_HOST_PORT = MERCHANT_BASE_PORT;
export const FOREIGN_HOST_PORT = MERCHANT_BASE_PORT + 1;
/** A merchant on another site than the app (127.0.0.1): its frame gets no cookies back. */
export const CROSS_SITE_HOST = { host: "127.0.0.2", port: MERCHANT_BASE_PORT + 2 };

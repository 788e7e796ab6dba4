import { test, expect } from "@playwright/test";
import { collectErrors, openHydrated } from "./helpers";

test("@smoke the start page hydrates and a click runs a server function", async ({ page }) => {
  const errors = collectErrors(page);
  const response = await openHydrated(page, "/");
  expect(response?.status()).toBe(200);
  const csp = response?.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("'nonce-");
  expect(csp).not.toContain("unsafe-inline");
  expect(response?.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");

  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("dodo-mode")).toContainText("sandbox");
  // Tailwind's CSS is served and applied.
  const buy = page.locator('[data-product="pdt_demo_course"]').getByRole("button", { name: /^Buy for/ });
  const bg = await buy.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).not.toBe("rgba(0, 0, 0, 0)");
  // The demo store's Buy runs a server function that opens the sandbox's hosted checkout.
  await buy.click();
  await expect(page).toHaveURL(/\/checkout\/cks_/);
  expect(errors).toEqual([]);
});

test("@smoke an unknown path gets the 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("@smoke the health check reports the store", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", store: "sqlite" });
});

test("keyboard users can skip to the content", async ({ page }) => {
  await openHydrated(page, "/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
});

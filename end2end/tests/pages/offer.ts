import { expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { openHydrated } from "../helpers";
import { payOnHostedCheckout } from "./sandbox";

/** The start page's demo store: buys `productId` through the sandbox's hosted checkout and
 * returns once Dodo has sent the customer back (to an offer page or the continue page). */
export async function buyFromDemoStore(page: Page, productId: string, email: string, card?: string, { js = true } = {}) {
  if (js) await openHydrated(page, "/");
  else await page.goto("/");
  await page.locator(`[data-product="${productId}"]`).getByRole("button", { name: /^Buy for/ }).click();
  await payOnHostedCheckout(page, email, card);
}

/** The offer page, once it shows a given state. */
export async function expectOfferState(page: Page, state: string) {
  await expect(page.getByTestId("offer")).toHaveAttribute("data-state", state);
}

export async function waitForHydration(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

/** Runs axe on the page and expects no violations. */
export async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${label}: ${v.id} ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

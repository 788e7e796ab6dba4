import { expect, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { openHydrated } from "../helpers";

/** The two sizes the pages are checked and photographed at. */
export const SIZES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;
export type SizeName = keyof typeof SIZES;

/** Where the run's screenshots go: target/screenshots/ of the repository (gitignored). */
export const SCREENSHOT_DIR = path.resolve(__dirname, "..", "..", "..", "target", "screenshots");

/** Saves a screenshot as target/screenshots/{name}-{size}.png: the whole page, or (for a
 * modal dialog, whose fixed backdrop covers only the screen) what is on the screen. */
export async function screenshot(page: Page, name: string, size: SizeName, { fullPage = true } = {}) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${size}.png`), fullPage });
}

/** The start page's tour (sandbox mode). */
export class TourPage {
  constructor(readonly page: Page) {}

  async open() {
    const response = await openHydrated(this.page, "/");
    expect(response?.status()).toBe(200);
    await expect(this.page.getByTestId("tour")).toBeVisible();
  }

  step(name: "upsell" | "plan-change" | "cross-sell" | "merchant") {
    return this.page.getByTestId(`tour-${name}`);
  }

  get planChangeLink() {
    return this.page.getByTestId("tour-plan-change-link");
  }

  get crossSellLink() {
    return this.page.getByTestId("tour-cross-sell-link");
  }

  get merchantLink() {
    return this.page.getByTestId("tour-merchant-link");
  }

  /** Presses "Buy" on a demo product; the browser goes to the sandbox's hosted checkout. */
  async buy(productId: string) {
    await this.step("upsell").locator(`[data-product="${productId}"]`).getByRole("button", { name: /^Buy for/ }).click();
  }
}

/** Expects `locator`'s box to lie entirely within the first screen (the page is not scrolled). */
export async function expectInFirstViewport(page: Page, testId: string) {
  const viewport = page.viewportSize()!;
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  const box = await page.getByTestId(testId).boundingBox();
  expect(box, `${testId} is rendered`).not.toBeNull();
  expect(box!.y, `${testId} top`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${testId} bottom (viewport ${viewport.height})`).toBeLessThanOrEqual(viewport.height);
}

/** Every sticky or fixed element on the page that is rendered, with its height. */
export async function stickyElements(page: Page): Promise<{ element: string; height: number }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => ["sticky", "fixed"].includes(getComputedStyle(el).position))
      .map((el) => ({
        element: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ""}`,
        height: el.getBoundingClientRect().height,
      })),
  );
}

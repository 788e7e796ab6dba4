// Issue 20: the start page as a guided tour of the sandbox, the offer page on a phone, the
// cross-sell success, an offer whose payment Dodo no longer knows — and screenshots of each
// at 390×844 and 1280×900 under target/screenshots/ (look at them).
import { test, expect } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { SANDBOX_URL, collectErrors, openHydrated } from "./helpers";
import { mintLink } from "./pages/links";
import { buyFromDemoStore, expectOfferState, waitForHydration } from "./pages/offer";
import { payOnHostedCheckout, removeSavedCards, sandboxPayments, uniqueEmail } from "./pages/sandbox";
import { SIZES, type SizeName, TourPage, expectInFirstViewport, screenshot, stickyElements } from "./pages/tour";
import { PlanChangePage, demoLink, startApp } from "./plan-change-app";

const COURSE = "pdt_demo_course";
const SHIPPED_RULES = fs.readFileSync(path.resolve(__dirname, "..", "..", "merchant.toml"), "utf8");

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

test("@smoke the tour's four links reach their pages from the start page", async ({ page }) => {
  const errors = collectErrors(page);
  const tour = new TourPage(page);

  // 1. Buy on the demo store (the step names the test card) → the post-purchase offer.
  await tour.open();
  await expect(tour.step("upsell")).toContainText("4242 4242 4242 4242");
  await expect(page.getByTestId("status-check")).toHaveCount(0);
  await expect(page.getByText("Check the server")).toHaveCount(0);
  await tour.buy(COURSE);
  await payOnHostedCheckout(page, uniqueEmail("tour"));
  await expect(page).toHaveURL(/\/offer\/off_/);
  await expectOfferState(page, "open");
  await expect(page.locator("#offer-headline")).toHaveText("Add three code reviews with an instructor");
  await expect(page.getByTestId("product-name")).toHaveText("Premium add-on: code review sessions");

  // 2. The plan-change demo, which lists signed links for the demo subscribers.
  await tour.open();
  await tour.planChangeLink.click();
  await expect(page).toHaveURL(/\/demo\/plan-change$/);
  await page.getByTestId("demo-sub_demo_alice_basic").click();
  await expect(page).toHaveURL(/\/plan-change\?token=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Change your plan");

  // 3. A demo customer's cross-sell link: what relates to the course she owns.
  await tour.open();
  await tour.crossSellLink.click();
  await expect(page).toHaveURL(/\/cross-sell\?token=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recommended for you");
  const items = page.getByTestId("cross-sell-item");
  await expect(items).toHaveCount(2);
  await expect(items.filter({ hasText: "Instructor code reviews" })).toHaveAttribute("data-state", "open");
  await expect(items.filter({ hasText: "Course Workbook" })).toHaveAttribute("data-state", "open");

  // 4. The merchant dashboard, with the demo login the step names.
  await tour.open();
  const email = await page.getByTestId("demo-merchant-email").innerText();
  const password = await page.getByTestId("demo-merchant-password").innerText();
  expect(email).toBe("demo@merchant.test");
  await tour.merchantLink.click();
  await expect(page).toHaveURL(/\/merchant\/login$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/merchant$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dashboard");
  expect(errors).toEqual([]);
});

test.describe("on a 390×844 phone", () => {
  test.use({ viewport: SIZES.phone });

  test("the offer's price and Pay button are on the first screen; nothing sticky is taller than 64 px", async ({ page }) => {
    await buyFromDemoStore(page, COURSE, uniqueEmail("phone"));
    await expect(page).toHaveURL(/\/offer\/off_/);
    await expectOfferState(page, "open");
    await waitForHydration(page);
    await expectInFirstViewport(page, "price");
    await expectInFirstViewport(page, "accept");
    const tall = (await stickyElements(page)).filter((e) => e.height > 64);
    expect(tall).toEqual([]);
    // Nothing reserved between Pay and No thanks but the gap between buttons.
    const pay = (await page.getByTestId("accept").boundingBox())!;
    const noThanks = (await page.getByTestId("decline").boundingBox())!;
    expect(noThanks.y - (pay.y + pay.height)).toBeLessThanOrEqual(16);
  });
});

test("the green bar is no wider than the offer card on a desktop", async ({ page }) => {
  await page.setViewportSize(SIZES.desktop);
  await buyFromDemoStore(page, COURSE, uniqueEmail("desk"));
  await expectOfferState(page, "open");
  const bar = (await page.getByTestId("purchase-confirmed").boundingBox())!;
  const card = (await page.locator('article[aria-labelledby="offer-headline"]').boundingBox())!;
  expect(bar.x).toBeGreaterThanOrEqual(card.x);
  expect(bar.x + bar.width).toBeLessThanOrEqual(card.x + card.width);
  expect(await stickyElements(page)).toEqual([]);
});

test("a cross-sell success reads as a purchase and leads back to the remaining recommendations", async ({ page, request }) => {
  // An existing customer: bought the course earlier (and left the post-purchase offer alone).
  const email = uniqueEmail("xsell");
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/offer\/off_/);
  const customer = (await sandboxPayments(request)).find((p: any) => p.customer.email === email).customer.customer_id;
  const { url } = await mintLink(request, { audience: "cross-sell", customer_id: customer });
  await openHydrated(page, url);
  await page.getByTestId("cross-sell-item").filter({ hasText: "Instructor code reviews" }).getByTestId("buy").click();
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("offer-label")).toHaveText("Recommended for you");
  await expect(page.getByTestId("succeeded").getByRole("heading", { level: 2 })).toHaveText("✓ It's yours");
  await expect(page.locator("body")).not.toContainText("A one-time offer for you");
  await expect(page.locator("body")).not.toContainText("Added to your order");
  await expect(page.getByTestId("purchase-confirmed")).toHaveCount(0);
  const back = page.getByTestId("continue");
  await expect(back).toHaveText("Back to your recommendations");
  await expect(back).toHaveAttribute("href", /^\/cross-sell\?token=/);
  await back.click();
  await expect(page).toHaveURL(/\/cross-sell\?token=/);
  const items = page.getByTestId("cross-sell-item");
  await expect(items).toHaveCount(2);
  await expect(items.filter({ hasText: "Instructor code reviews" })).toHaveAttribute("data-state", "succeeded");
  await expect(items.filter({ hasText: "Course Workbook" })).toHaveAttribute("data-state", "open");
});

test("an offer whose payment Dodo no longer knows says it is no longer available, with 410", async ({ page }) => {
  // A second copy of the app, restarted with its store kept and a fresh sandbox (as after
  // restarting `make run`): the offer is remembered, its payment is not.
  let app = await startApp(SHIPPED_RULES);
  try {
    await openHydrated(page, `${app.url}/`);
    await new TourPage(page).buy(COURSE);
    await payOnHostedCheckout(page, uniqueEmail("gone"));
    await expect(page).toHaveURL(/\/offer\/off_/);
    await expectOfferState(page, "open");
    const offerUrl = page.url();
    await app.stop({ keepStore: true });
    app = await startApp(SHIPPED_RULES, app);
    const response = await page.goto(offerUrl);
    expect(response?.status()).toBe(410);
    await expect(page.getByTestId("error-page")).toHaveAttribute("data-error", "offer-gone");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("This offer is no longer available");
    await expect(page.locator("body")).not.toContainText("couldn't reach");
    await expect(page.getByTestId("accept")).toHaveCount(0);
  } finally {
    await app.stop();
  }
});

for (const size of Object.keys(SIZES) as SizeName[]) {
  test(`screenshots at ${SIZES[size].width}×${SIZES[size].height}: start page, offer open, success, failure, plan-change dialog`, async ({
    page,
    request,
    baseURL,
  }) => {
    await page.setViewportSize(SIZES[size]);
    const tour = new TourPage(page);
    await tour.open();
    await screenshot(page, "start", size);

    await buyFromDemoStore(page, COURSE, uniqueEmail(`shot-${size}`));
    await expectOfferState(page, "open");
    await waitForHydration(page);
    await screenshot(page, "offer-open", size);
    await page.getByTestId("accept").click();
    await expectOfferState(page, "succeeded");
    await screenshot(page, "offer-success", size);

    // Carol's saved card declines the one-click charge: the card she paid the course with is
    // removed at Dodo; the first Pay reads her methods afresh and names the card that is left
    // (nothing charged), the second is declined.
    await buyFromDemoStore(page, COURSE, "carol@example.com");
    await expect(page).toHaveURL(/\/offer\/off_/);
    const carol = (await sandboxPayments(request)).find((p: any) => p.customer.email === "carol@example.com");
    await removeSavedCards(request, carol.customer.customer_id, (pm) => pm.payment_method_id.startsWith("pm_demo_"));
    await expectOfferState(page, "open");
    await waitForHydration(page);
    await page.getByTestId("accept").click();
    await expect(page.getByTestId("card-line")).toContainText("•••• 0002");
    await waitForHydration(page);
    await page.getByTestId("accept").click();
    await expectOfferState(page, "failed");
    await screenshot(page, "offer-failure", size);

    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, "sub_demo_alice_basic"));
    await pc.choose("Pro");
    await pc.openDialog();
    await screenshot(page, "plan-change-dialog", size, { fullPage: false });
  });
}

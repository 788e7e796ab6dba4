import { test, expect } from "@playwright/test";
import { SANDBOX_URL, collectErrors } from "./helpers";
import { buyFromDemoStore, expectAccessible, expectOfferState, waitForHydration } from "./pages/offer";
import { CARDS, advanceSandboxClock, paymentsFor, removeSavedCards, sandboxPayments, uniqueEmail } from "./pages/sandbox";

// The demo business (merchant.toml): buying the course offers the code reviews add-on ($29.00);
// "No thanks" leads to the Workbook ($19.00); the continue page is /thanks.
const COURSE = "pdt_demo_course";
const TOOLKIT = "pdt_demo_addon";
const WORKBOOK = "pdt_demo_downsell";

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

test("@smoke buy, see the offer with the saved card, accept with one click, exactly one charge", async ({ page, request }) => {
  const errors = collectErrors(page);
  const email = uniqueEmail("accept");
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/offer\/off_/);
  await waitForHydration(page);
  await expectOfferState(page, "open");
  await expect(page.getByTestId("purchase-confirmed")).toContainText("Payment received");
  await expect(page.getByTestId("card-line")).toContainText("Visa •••• 4242, expires 12/34");
  const accept = page.getByTestId("accept");
  await expect(accept).toHaveText("Pay $29.00 now");
  await expect(page.getByTestId("expiry")).toContainText("more minutes");
  await expect(page.getByTestId("badge")).toHaveText("Most popular upgrade");
  await expectAccessible(page, "open offer");

  await accept.click();
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("succeeded")).toContainText("Added to your order");
  await expectAccessible(page, "succeeded");
  const charges = await paymentsFor(request, email, TOOLKIT);
  expect(charges.map((p) => p.status)).toEqual(["succeeded"]);
  expect(charges[0].total_amount).toBe(2900);
  expect(charges[0].metadata.source).toBe("upsell");
  expect(charges[0].metadata.upsell_offer_id).toMatch(/^off_/);
  expect(errors).toEqual([]);
});

test("a double click on Accept still makes one payment", async ({ page, request }) => {
  const email = uniqueEmail("double");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("accept").dblclick();
  await expectOfferState(page, "succeeded");
  // A reload, the back button and a second submission of the same form change nothing.
  await page.reload();
  await expectOfferState(page, "succeeded");
  expect((await paymentsFor(request, email, TOOLKIT)).length).toBe(1);
});

test("two tabs accepting the same offer make one payment", async ({ page, context, request }) => {
  const email = uniqueEmail("tabs");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  const offerUrl = page.url();
  const second = await context.newPage();
  await second.goto(offerUrl);
  await waitForHydration(second);
  await Promise.all([page.getByTestId("accept").click(), second.getByTestId("accept").click()]);
  await expectOfferState(page, "succeeded");
  await second.reload();
  await expectOfferState(second, "succeeded");
  expect((await paymentsFor(request, email, TOOLKIT)).length).toBe(1);
});

test("No thanks leads to the downsell, and No thanks again to the continue page", async ({ page, request }) => {
  const email = uniqueEmail("decline");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("decline").click();
  await expectOfferState(page, "open");
  await expect(page.getByTestId("accept")).toHaveText("Pay $19.00 now");
  await expect(page.locator("#offer-headline")).toContainText("Workbook");
  await expectAccessible(page, "downsell");
  await waitForHydration(page);
  await page.getByTestId("decline").click();
  await expect(page).toHaveURL(/\/thanks$/);
  await expect(page.getByTestId("thanks")).toBeVisible();
  expect(await paymentsFor(request, email, TOOLKIT)).toEqual([]);
  expect(await paymentsFor(request, email, WORKBOOK)).toEqual([]);
});

test("don't-show-again is honoured by the next purchase", async ({ page }) => {
  const email = uniqueEmail("suppress");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("suppress").click();
  await expectOfferState(page, "suppressed");
  await expectAccessible(page, "suppressed");
  // The same customer buys again: no offer, straight to the continue page.
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/thanks$/);
});

test("undo of don't-show-again reopens the offer", async ({ page }) => {
  const email = uniqueEmail("undo");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("suppress").click();
  await expectOfferState(page, "suppressed");
  await page.getByTestId("unsuppress").click();
  await expectOfferState(page, "open");
});

/** The demo customer `email` buys the course with a new card; that card is then removed at
 * Dodo behind the page's back, so only the customer's fixture card (expired, declining…) is
 * left on file. The page still names the removed card (it shows what it read a moment ago);
 * Pay reads Dodo afresh, charges nothing because that card is gone, and shows what is true now. */
async function buyThenKeepOnlyFixtureCard(page: any, request: any, email: string) {
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/offer\/off_/);
  const purchase = (await sandboxPayments(request)).find((p: any) => p.customer.email === email);
  await removeSavedCards(request, purchase.customer.customer_id, (pm) => pm.payment_method_id.startsWith("pm_demo_"));
  await waitForHydration(page);
  await expect(page.getByTestId("card-line")).toContainText("•••• 4242");
  await page.getByTestId("accept").click();
}

test("a customer whose saved card has expired sees why and is offered the normal checkout", async ({ page, request }) => {
  await buyThenKeepOnlyFixtureCard(page, request, "bob@example.com");
  await expectOfferState(page, "checkout-only");
  await expect(page.getByTestId("fallback-reason")).toHaveText(/saved card has expired/);
  await expect(page.getByTestId("accept")).toHaveCount(0); // never a dead one-click button
  await expectAccessible(page, "checkout only");
  await page.getByTestId("checkout-fallback").click();
  await expect(page).toHaveURL(/\/checkout\/cks_/);
  expect(await paymentsFor(request, "bob@example.com", TOOLKIT)).toEqual([]);
});

test("a declined card shows the failure, charges nothing and offers the fallback", async ({ page, request }) => {
  await buyThenKeepOnlyFixtureCard(page, request, "carol@example.com");
  await expect(page.getByTestId("card-line")).toContainText("•••• 0002");
  await expectOfferState(page, "open");
  expect(await paymentsFor(request, "carol@example.com", TOOLKIT)).toEqual([]);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "failed");
  await expect(page.getByTestId("failure-reason")).toHaveText("Your bank declined the card.");
  await expect(page.getByRole("alert")).toContainText("Nothing was charged");
  await expect(page.getByTestId("checkout-fallback")).toBeVisible();
  await expect(page.getByTestId("update-payment-method")).toBeVisible();
  await expectAccessible(page, "failed");
  const charges = await paymentsFor(request, "carol@example.com", TOOLKIT);
  expect(charges.map((p) => p.status)).toEqual(["failed"]);
  // No automatic retry: a reload shows the same failure and makes no new attempt.
  await page.reload();
  await expectOfferState(page, "failed");
  expect((await paymentsFor(request, "carol@example.com", TOOLKIT)).length).toBe(1);
});

test("a 3-D Secure card goes through the bank's challenge and ends on the success page", async ({ page, request }) => {
  const email = uniqueEmail("threeds");
  // The purchase itself asks for the challenge; the saved card keeps asking later.
  await buyFromDemoStore(page, COURSE, email, CARDS.threeDs);
  await page.getByRole("button", { name: "Complete" }).click();
  await expect(page).toHaveURL(/\/offer\/off_/);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "needs-action");
  await expectAccessible(page, "needs action");
  await page.getByTestId("confirm-with-bank").click();
  await page.getByRole("button", { name: "Complete" }).click();
  await expect(page).toHaveURL(/\/offer\/off_/);
  await expectOfferState(page, "succeeded");
  const charges = await paymentsFor(request, email, TOOLKIT);
  expect(charges.map((p) => p.status)).toEqual(["succeeded"]);
});

test("an expired offer window shows an expiry message and charges nothing", async ({ page, request }) => {
  const email = uniqueEmail("late");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await expectOfferState(page, "open");
  // Dodo's clock moves past the 15-minute window while the page is open; then the customer clicks.
  await advanceSandboxClock(request, 16);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "expired");
  await expect(page.getByTestId("expired")).toContainText("Nothing was charged");
  await expectAccessible(page, "expired");
  expect(await paymentsFor(request, email, TOOLKIT)).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("Accept works as a plain form post", async ({ page, request }) => {
    const email = uniqueEmail("nojs");
    await buyFromDemoStore(page, COURSE, email, CARDS.ok, { js: false });
    await expect(page).toHaveURL(/\/offer\/off_/);
    await expectOfferState(page, "open");
    await page.getByTestId("accept").click();
    await expect(page).toHaveURL(/\/offer\/off_/);
    // Without the progress poller the customer follows "Check again" until it settles.
    await expect(async () => {
      await page.getByRole("link", { name: "Check again" }).click();
      await expect(page.getByTestId("offer")).toHaveAttribute("data-state", "succeeded", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    expect((await paymentsFor(request, email, TOOLKIT)).map((p) => p.status)).toEqual(["succeeded"]);
  });

  test("No thanks works as a plain form post, to the downsell and then the continue page", async ({ page, request }) => {
    const email = uniqueEmail("nojs-decline");
    await buyFromDemoStore(page, COURSE, email, CARDS.ok, { js: false });
    await expectOfferState(page, "open");
    await expect(page.getByTestId("accept")).toHaveText("Pay $29.00 now");
    await page.getByTestId("decline").click();
    await expectOfferState(page, "open");
    await expect(page.getByTestId("accept")).toHaveText("Pay $19.00 now");
    await expect(page.locator("#offer-headline")).toContainText("Workbook");
    await page.getByTestId("decline").click();
    await expect(page).toHaveURL(/\/thanks$/);
    await expect(page.getByTestId("thanks")).toBeVisible();
    expect(await paymentsFor(request, email, TOOLKIT)).toEqual([]);
    expect(await paymentsFor(request, email, WORKBOOK)).toEqual([]);
  });

  test("Don't show again works as a plain form post and is honoured by the next purchase", async ({ page, request }) => {
    const email = uniqueEmail("nojs-suppress");
    await buyFromDemoStore(page, COURSE, email, CARDS.ok, { js: false });
    await expectOfferState(page, "open");
    await page.getByTestId("suppress").click();
    await expectOfferState(page, "suppressed");
    await buyFromDemoStore(page, COURSE, email, CARDS.ok, { js: false });
    await expect(page).toHaveURL(/\/thanks$/);
    expect(await paymentsFor(request, email, TOOLKIT)).toEqual([]);
  });
});

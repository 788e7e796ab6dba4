import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { SANDBOX_URL } from "./helpers";
import { buyFromDemoStore, expectAccessible, expectOfferState, waitForHydration } from "./pages/offer";
import { payOnHostedCheckout, paymentsFor, removeSavedCards, sandboxPayments, uniqueEmail } from "./pages/sandbox";

// Where two money flows touch the same purchase (issue 11): the browser's view of the seams.
const COURSE = "pdt_demo_course";
const TOOLKIT = "pdt_demo_addon";
const WORKBOOK = "pdt_demo_downsell";

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

async function slowDown(request: APIRequestContext, path: string, ms: number) {
  const res = await request.post(`${SANDBOX_URL}/_sandbox/faults`, {
    data: { method: "POST", path, fault: "latency", latency_ms: ms },
  });
  expect(res.ok()).toBe(true);
}

/** Presses Pay and returns what its progress line says at once, while the form's post is
 * still on its way. (Pay is a plain form: Playwright's click() and locators wait for the page
 * the server answers with, that is until the payment has settled.) */
async function pressPay(page: Page): Promise<string> {
  return page.evaluate(() => {
    const pay = document.querySelector<HTMLButtonElement>('[data-testid="accept"]');
    if (!pay) throw new Error("no Pay button");
    pay.click();
    return document.querySelector('[data-testid="action-progress"]')?.textContent ?? "";
  });
}

async function buyCourse(page: Page, email: string) {
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/offer\/off_/);
  await waitForHydration(page);
}

test("row 1: after a declined one-click, paying on the checkout page counts the offer as bought", async ({ page, request }) => {
  // Erin buys the course with a new card, which is then removed: her saved card has no funds.
  await buyFromDemoStore(page, COURSE, "erin@example.com");
  const purchase = (await sandboxPayments(request)).find((p: any) => p.customer.email === "erin@example.com");
  await removeSavedCards(request, purchase.customer.customer_id, (pm) => pm.payment_method_id.startsWith("pm_demo_"));
  // The page still names the removed card; Pay finds it gone, charges nothing and names the
  // card that is left, which she then pays with.
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expect(page.getByTestId("card-line")).toContainText("•••• 9995");
  await expectOfferState(page, "open");
  expect(await paymentsFor(request, "erin@example.com", TOOLKIT)).toEqual([]);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "failed");
  await expect(page.getByTestId("failure-reason")).toHaveText("The card has insufficient funds.");

  await page.getByTestId("checkout-fallback").click();
  await payOnHostedCheckout(page, "erin@example.com");
  await expect(page).toHaveURL(/\/offer\/off_/);
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("succeeded")).toContainText("Added to your order");
  await expect(page.getByText("Nothing was charged")).toHaveCount(0);
  await expectAccessible(page, "bought on the checkout");
  const charges = await paymentsFor(request, "erin@example.com", TOOLKIT);
  expect(charges.map((p) => p.status).sort()).toEqual(["failed", "succeeded"]);
  // The bought offer offers no second checkout, whatever the customer reloads.
  await page.reload();
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("checkout-fallback")).toHaveCount(0);
});

test("row 2: two purchases in two tabs, two add-on offers, accepted together: charged once", async ({ page, context, request }) => {
  const email = uniqueEmail("two-offers");
  await buyCourse(page, email);
  const second = await context.newPage();
  await buyCourse(second, email);
  expect(second.url()).not.toEqual(page.url());
  await Promise.all([page.getByTestId("accept").click(), second.getByTestId("accept").click()]);
  await expect(async () => {
    const states = await Promise.all([page, second].map((p) => p.getByTestId("offer").getAttribute("data-state")));
    expect(states.sort()).toEqual(["owned", "succeeded"]);
  }).toPass({ timeout: 20_000 });
  const owned = (await page.getByTestId("offer").getAttribute("data-state")) === "owned" ? page : second;
  await expect(owned.getByTestId("owned")).toContainText("You already have this");
  await expect(owned.getByTestId("accept")).toHaveCount(0);
  await expectAccessible(owned, "owned");
  const charges = await paymentsFor(request, email, TOOLKIT);
  expect(charges.map((p) => p.status)).toEqual(["succeeded"]);
  // A third purchase offers no add-on: straight to the continue page.
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/thanks$/);
});

test("row 4: No thanks in a second tab while the payment is in flight is refused, with a reason", async ({ page, context, request }) => {
  const email = uniqueEmail("decline-while-paying");
  await buyCourse(page, email);
  const offerUrl = page.url();
  const other = await context.newPage();
  await other.goto(offerUrl);
  await waitForHydration(other);
  await slowDown(request, "/checkouts", 6000);
  expect(await pressPay(page)).toBe("Processing your payment…");
  await other.getByTestId("decline").click();
  await expect(other.getByTestId("offer-notice-line")).toHaveText(
    "Your payment for this offer is being processed, so it can't be declined now.",
  );
  await expect(other.locator("#offer-headline")).not.toContainText("Workbook");
  await expectOfferState(page, "succeeded");
  await other.reload();
  await expectOfferState(other, "succeeded");
  expect((await paymentsFor(request, email, TOOLKIT)).map((p) => p.status)).toEqual(["succeeded"]);
  expect(await paymentsFor(request, email, WORKBOOK)).toEqual([]);
});

test("Pay shows its pending state within one frame of the click", async ({ page, request }) => {
  const email = uniqueEmail("pending-frame");
  await buyCourse(page, email);
  await slowDown(request, "/checkouts", 3000);
  // Pressed from inside the page and read in the next animation frame, before it is painted:
  // what the customer sees on the first repaint after pressing Pay.
  const seen = await page.evaluate(
    () =>
      new Promise<{ disabled: boolean; progress: string }>((resolve) => {
        const pay = document.querySelector<HTMLButtonElement>('[data-testid="accept"]');
        if (!pay) throw new Error("no Pay button");
        pay.click();
        requestAnimationFrame(() =>
          resolve({
            disabled: pay.disabled,
            progress: document.querySelector('[data-testid="action-progress"]')?.textContent ?? "",
          }),
        );
      }),
  );
  expect(seen).toEqual({ disabled: true, progress: "Processing your payment…" });
  await expectOfferState(page, "succeeded");
  expect((await paymentsFor(request, email, TOOLKIT)).map((p) => p.status)).toEqual(["succeeded"]);
});

test("row 7: a reload while the payment is in flight does not lose it", async ({ page, context, request }) => {
  const email = uniqueEmail("reload-while-paying");
  await buyCourse(page, email);
  const offerUrl = page.url();
  await slowDown(request, "/checkouts", 4000);
  const offerId = await page.locator('input[name="offer_id"]').first().inputValue();
  const access = await page.locator('input[name="access"]').first().inputValue();
  expect(await pressPay(page)).toBe("Processing your payment…");
  // Pay's post has reached the server (which records the attempt before it asks Dodo): asked
  // as the page's poller asks, with the browser's cookies. Closing sooner could cancel the post
  // before it left the browser, and then there would be nothing to lose.
  await expect
    .poll(async () => {
      const res = await context.request.post("/api/offer_status", { form: { offer_id: offerId, access } });
      return res.ok() ? await res.json() : `HTTP ${res.status()}`;
    })
    .toBe("processing");
  // The customer leaves (or the phone loses its connection) while Dodo is still working, which
  // abandons Pay's post on its way, and opens the offer again. (A reload of this page is the
  // same for the server, but Playwright reports the abandoned post as the reload's failure.)
  await page.close();
  const again = await context.newPage();
  await again.goto(offerUrl);
  await expectOfferState(again, "processing");
  await expectOfferState(again, "succeeded");
  expect((await paymentsFor(request, email, TOOLKIT)).map((p) => p.status)).toEqual(["succeeded"]);
});

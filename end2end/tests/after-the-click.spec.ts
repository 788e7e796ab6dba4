import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { SANDBOX_API_KEY, SANDBOX_URL, collectErrors } from "./helpers";
import { buyFromDemoStore, expectAccessible, expectOfferState, waitForHydration } from "./pages/offer";
import { paymentsFor, uniqueEmail } from "./pages/sandbox";

// Issue 17: after a one-click purchase the customer can take it back within the undo window
// (merchant.toml: upsell.undo_minutes = 10), sees a receipt, and a customer who owes money on a
// subscription is not pitched anything. The demo course's offer is the add-on at $29.00.
const COURSE = "pdt_demo_course";
const ADDON = "pdt_demo_addon";
const AUTH = { authorization: `Bearer ${SANDBOX_API_KEY}` };

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

/** Refunds the sandbox holds for `paymentId`. */
async function refundsOf(request: APIRequestContext, paymentId: string): Promise<any[]> {
  const res = await request.get(`${SANDBOX_URL}/refunds?page_size=100`, { headers: AUTH });
  expect(res.ok()).toBe(true);
  return (await res.json()).items.filter((r: any) => r.payment_id === paymentId);
}

/** A purchase of the course by a seeded customer with one of their saved methods (through
 * Dodo's API, as a merchant's own checkout would), then Dodo's return to our landing. */
async function purchaseAs(page: Page, request: APIRequestContext, customerId: string, paymentMethodId: string) {
  const res = await request.post(`${SANDBOX_URL}/payments`, {
    headers: AUTH,
    data: {
      customer: { customer_id: customerId },
      payment_method_id: paymentMethodId,
      payment_link: false,
      product_cart: [{ product_id: COURSE, quantity: 1 }],
      billing: { country: "US" },
    },
  });
  expect(res.ok(), await res.text()).toBe(true);
  const { payment_id } = await res.json();
  // Dodo settles the payment a moment later; Dodo's customer comes back once it has.
  await expect
    .poll(async () => (await (await request.get(`${SANDBOX_URL}/payments/${payment_id}`, { headers: AUTH })).json()).status)
    .toBe("succeeded");
  await page.goto(`/offer/landing?payment_id=${payment_id}&status=succeeded`);
  await expect(page).toHaveURL(/\/offer\/off_/);
  await waitForHydration(page);
}

test("undo within the window: a confirmation, one full refund, and the page says refunded", async ({ page, request }) => {
  const errors = collectErrors(page);
  const email = uniqueEmail("undo");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "succeeded");

  // The receipt: what was bought, for how much, with which card; and the time left to undo.
  await expect(page.getByTestId("receipt")).toContainText("$29.00");
  await expect(page.getByTestId("receipt")).toContainText("4242");
  await expect(page.getByTestId("undo-time-left")).toContainText("minutes");
  const [addon] = await paymentsFor(request, email, ADDON);

  // "Undo this purchase" asks first; asking refunds nothing.
  await page.getByTestId("undo").click();
  await expect(page.getByTestId("undo-confirm")).toContainText("$29.00");
  await expectAccessible(page, "undo confirmation");
  expect(await refundsOf(request, addon.payment_id)).toEqual([]);
  await waitForHydration(page);

  // Yes: refund requested, then refunded once Dodo's webhook says so.
  await page.getByTestId("undo-yes").dblclick();
  await expectOfferState(page, "undone");
  await expect(page.getByTestId("undone")).toContainText("$29.00");
  await expect(page.getByTestId("undo")).toHaveCount(0);
  const refunds = await refundsOf(request, addon.payment_id);
  expect(refunds.map((r) => [r.amount, r.is_partial, r.status])).toEqual([[2900, false, "succeeded"]]);

  // A reload shows the same, and refunds nothing more.
  await page.reload();
  await expectOfferState(page, "undone");
  expect((await refundsOf(request, addon.payment_id)).length).toBe(1);
  expect(errors).toEqual([]);
});

test("two tabs confirming the undo, and a lost answer from Dodo, still refund once", async ({ page, context, request }) => {
  const email = uniqueEmail("undo-tabs");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "succeeded");
  const [addon] = await paymentsFor(request, email, ADDON);
  // Dodo refunds, but its answer to the first refund request is lost on the way back.
  const fault = await request.post(`${SANDBOX_URL}/_sandbox/faults`, {
    data: { method: "POST", path: "/refunds", count: 1, fault: "response_lost" },
  });
  expect(fault.ok()).toBe(true);
  const confirmUrl = `${page.url()}?undo=confirm`;
  const second = await context.newPage();
  for (const tab of [page, second]) {
    await tab.goto(confirmUrl);
    await waitForHydration(tab);
  }
  await Promise.all([page.getByTestId("undo-yes").click(), second.getByTestId("undo-yes").click()]);
  // Each tab follows the refund by itself (its progress poller reloads it once the state
  // changes); a reload from here could meet that reload and find no page to reload.
  for (const tab of [page, second]) {
    await expectOfferState(tab, "undone");
  }
  expect((await refundsOf(request, addon.payment_id)).map((r) => r.amount)).toEqual([2900]);
});

test("after the window the undo link is gone", async ({ page, request }) => {
  const email = uniqueEmail("late");
  await buyFromDemoStore(page, COURSE, email);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("undo")).toBeVisible();
  // Eleven minutes later on Dodo's clock (the window is ten).
  const advanced = await request.post(`${SANDBOX_URL}/_sandbox/clock/advance`, { data: { minutes: 11 } });
  expect(advanced.ok()).toBe(true);
  await page.reload();
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("receipt")).toBeVisible();
  await expect(page.getByTestId("undo")).toHaveCount(0);
  // The confirmation step, opened by its address, offers nothing either…
  const offerId = new URL(page.url()).pathname.split("/").pop()!;
  await page.goto(`${page.url()}?undo=confirm`);
  await expect(page.getByTestId("undo-confirm")).toHaveCount(0);
  // …and the server refuses an undo posted anyway (with this browser's session cookie).
  const refused = await page.request.post("/api/offer_undo", {
    form: { offer_id: offerId, access: "" },
    headers: { "sec-fetch-site": "same-origin" },
  });
  expect(refused.status()).toBe(409);
  expect(await refused.json()).toEqual({ Undo: "WindowPassed" });
  const [addon] = await paymentsFor(request, email, ADDON);
  expect(await refundsOf(request, addon.payment_id)).toEqual([]);
});

test("a customer whose subscription payment failed is asked to fix it, not pitched", async ({ page, request }) => {
  // Henry's Basic subscription is on hold: its renewal declined.
  await purchaseAs(page, request, "cus_demo_henry", "pm_demo_henry_visa");
  await expectOfferState(page, "owes-money");
  await expect(page.getByTestId("accept")).toHaveCount(0);
  await expectAccessible(page, "owes money");
  await page.getByTestId("fix-payment").click();
  // Dodo's own page for updating the subscription's payment method.
  await expect(page).toHaveURL(new RegExp(`^${SANDBOX_URL}/`));
  expect((await paymentsFor(request, "henry@example.com", ADDON)).length).toBe(0);
});

test("a saved PayPal wallet is named and charged with one click", async ({ page, request }) => {
  await purchaseAs(page, request, "cus_demo_wendy", "pm_demo_wendy_paypal");
  await expectOfferState(page, "open");
  await expect(page.getByTestId("card-line")).toContainText("PayPal");
  await page.getByTestId("accept").click();
  await expectOfferState(page, "succeeded");
  await expect(page.getByTestId("receipt")).toContainText("PayPal");
  const charges = await paymentsFor(request, "wendy@example.com", ADDON);
  expect(charges.map((p) => [p.status, p.total_amount, p.payment_method_id])).toEqual([
    ["succeeded", 2900, "pm_demo_wendy_paypal"],
  ]);
});

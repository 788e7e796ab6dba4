import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { SANDBOX_API_KEY, SANDBOX_URL } from "./helpers";
import { buyFromDemoStore, expectAccessible, expectOfferState, waitForHydration } from "./pages/offer";
import { removeSavedCards, sandboxPayments, uniqueEmail } from "./pages/sandbox";

// The merchant dashboard over the demo business (merchant.toml): the course's offer is the
// code reviews add-on ($29.00), its downsell the Workbook ($19.00). The e2e server runs the
// embedded sandbox, so it made the demo merchant account at startup.
const COURSE = "pdt_demo_course";
const ADDON = "pdt_demo_addon";
const WORKBOOK = "pdt_demo_downsell";
const DEMO_EMAIL = "demo@merchant.test";
const DEMO_PASSWORD = process.env.DEMO_MERCHANT_PASSWORD ?? "demo-merchant-pass";
const AUTH = { authorization: `Bearer ${SANDBOX_API_KEY}` };

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

async function signIn(page: Page, password = DEMO_PASSWORD) {
  await page.goto("/merchant/login");
  await page.getByLabel("Email").fill(DEMO_EMAIL);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The sandbox's payment of `productId` for the customer with `email`. */
async function paymentOf(request: APIRequestContext, email: string, productId: string) {
  const found = (await sandboxPayments(request)).filter(
    (p) => p.customer.email === email && (p.product_cart ?? []).some((i: any) => i.product_id === productId),
  );
  expect(found.length, `${email} ${productId}`).toBe(1);
  return found[0];
}

/** A whole second after now: the dashboard's periods are exact to the millisecond, and the
 * app's store keeps earlier tests' rows (only the sandbox is reset between tests). */
async function startOfOwnPeriod(): Promise<number> {
  const from = Math.ceil((Date.now() + 1) / 1000) * 1000;
  await expect.poll(() => Date.now()).toBeGreaterThan(from);
  return from;
}

function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

test("the dashboard shows exactly what the offers earned, net of a refund, why a purchase got no one-click offer, a chart, the same CSV, and a check against Dodo", async ({ page, context, request }) => {
  // A landing with an expired card, before the period: Bob's only saved card has expired by
  // the time he comes back from the checkout.
  const bob = "bob@example.com";
  await buyFromDemoStore(page, COURSE, bob);
  await expect(page).toHaveURL(/\/offer\/off_/);
  const bobPurchase = await paymentOf(request, bob, COURSE);
  await removeSavedCards(request, bobPurchase.customer.customer_id, (pm) => pm.payment_method_id.startsWith("pm_demo_"));
  await page.goto(`/offer/landing?payment_id=${bobPurchase.payment_id}&status=succeeded`);
  await expectOfferState(page, "checkout-only");

  const from = await startOfOwnPeriod();
  // A purchase and an accept.
  const ann = uniqueEmail("dash-accept");
  await buyFromDemoStore(page, COURSE, ann);
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "succeeded");
  // A purchase, "No thanks", and the downsell accepted.
  const ben = uniqueEmail("dash-downsell");
  await buyFromDemoStore(page, COURSE, ben);
  await waitForHydration(page);
  await page.getByTestId("decline").click();
  await expect(page.locator("#offer-headline")).toContainText("Workbook");
  await waitForHydration(page);
  await page.getByTestId("accept").click();
  await expectOfferState(page, "succeeded");
  // The merchant refunds $10.00 of Ann's add-on in Dodo's dashboard.
  const annAddon = await paymentOf(request, ann, ADDON);
  const refund = await request.post(`${SANDBOX_URL}/_sandbox/refunds`, {
    data: { payment_id: annAddon.payment_id, items: [{ item_id: ADDON, amount: 1000 }], reason: "goodwill" },
  });
  expect(refund.ok(), await refund.text()).toBe(true);
  const to = Date.now() + 60_000;

  // Not signed in: the dashboard sends to the sign-in page; a wrong password is refused.
  await page.goto("/merchant");
  await expect(page).toHaveURL(/\/merchant\/login$/);
  await signIn(page, "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("That email and password do not match an account.");
  await signIn(page);
  await expect(page).toHaveURL(/\/merchant$/);

  const period = `from=${from}&to=${to}`;
  // Revenue counts once Dodo's webhooks confirmed it; the refund once its webhook came.
  await expect(async () => {
    await page.goto(`/merchant?${period}`);
    const addon = page.locator('[data-testid="offer-row"][data-kind="upsell"]');
    await expect(addon.getByTestId("refunded")).toHaveText("$10.00", { timeout: 1000 });
  }).toPass();
  const upsell = page.locator('[data-testid="offer-row"][data-kind="upsell"]');
  await expect(upsell).toHaveCount(1);
  await expect(upsell.getByTestId("impressions")).toHaveText("2");
  await expect(upsell.getByTestId("accepts")).toHaveText("1");
  await expect(upsell.getByTestId("declines")).toHaveText("1");
  await expect(upsell.getByTestId("suppressed")).toHaveText("0");
  await expect(upsell.getByTestId("conversion")).toHaveText("50.0%");
  await expect(upsell.getByTestId("revenue")).toHaveText("$29.00");
  // The merchant's refund from Dodo's dashboard is refunded, not undone by the customer.
  await expect(upsell.getByTestId("undone")).toHaveText("0");
  await expect(upsell.getByTestId("net")).toHaveText("$19.00");
  const downsell = page.locator('[data-testid="offer-row"][data-kind="downsell"]');
  await expect(downsell).toHaveCount(1);
  await expect(downsell.getByTestId("impressions")).toHaveText("1");
  await expect(downsell.getByTestId("accepts")).toHaveText("1");
  await expect(downsell.getByTestId("revenue")).toHaveText("$19.00");
  await expect(downsell.getByTestId("net")).toHaveText("$19.00");
  // The charts: the funnel and the daily series, each an image with its words.
  const charts = page.getByTestId("chart");
  await expect(charts.first().locator("svg[role=img]")).toBeVisible();
  await expect(charts.first().locator("figcaption")).toHaveText(
    "Of 3 offers shown, 2 were accepted, 2 paid (confirmed by Dodo) and 2 kept (not refunded in full).",
  );
  await expectAccessible(page, "dashboard");

  // The CSV is the same table.
  const csv = await page.request.get(await page.getByTestId("csv-offers").getAttribute("href") ?? "");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  const lines = (await csv.text()).trim().split(/\r?\n/);
  expect(lines).toHaveLength(3);
  expect(lines[1]).toBe(`downsell,course-to-code-reviews,${WORKBOOK},USD,1,1,0,0,0,1.0000,1,19.00,0.00,0,0.00,19.00,19.00`);
  expect(lines[2]).toBe(`upsell,course-to-code-reviews,${ADDON},USD,2,1,1,0,0,0.5000,1,29.00,10.00,0,0.00,19.00,9.50`);

  // Why no offer: Bob's landing says one click was not possible, and why.
  await page.goto(`/merchant/landings?q=${bobPurchase.payment_id}`);
  const bobRows = page.getByTestId("landing-row");
  await expect(bobRows).toHaveCount(2);
  await expect(bobRows.first().getByTestId("landing-reason")).toHaveText("Offer shown");
  await expect(bobRows.first()).toContainText("normal checkout only: the saved card has expired");
  await expectAccessible(page, "landings");

  // Check against Dodo: nothing differs; then a payment made behind our back does.
  await page.goto("/merchant/check");
  await page.getByTestId("check-from").fill(utc(from));
  await page.getByTestId("check-to").fill(utc(to));
  await page.getByTestId("run-check").click();
  await expect(page.getByTestId("check-clean")).toBeVisible();
  await expect(page.getByTestId("check-summary")).toContainText("2 payments recorded here, 2 payments at Dodo with our metadata");
  const behind = await request.post(`${SANDBOX_URL}/payments`, {
    headers: AUTH,
    data: {
      customer: { customer_id: "cus_demo_alice" },
      payment_method_id: "pm_demo_alice_visa",
      payment_link: false,
      product_cart: [{ product_id: ADDON, quantity: 1 }],
      billing: { country: "US" },
      metadata: { attempt_id: "att_made_behind_our_back" },
    },
  });
  expect(behind.ok(), await behind.text()).toBe(true);
  const { payment_id: behindId } = await behind.json();
  await page.getByTestId("check-from").fill(utc(from));
  await page.getByTestId("check-to").fill(utc(to));
  await page.getByTestId("run-check").click();
  const differences = page.getByTestId("check-difference");
  await expect(differences).toHaveCount(1);
  await expect(differences.first()).toHaveAttribute("data-kind", "only-at-dodo");
  await expect(differences.first()).toContainText(behindId);

  // What is live: the rules and their products as Dodo has them.
  await page.goto("/merchant/config");
  await expect(page.locator('[data-testid="product-row"][data-product="pdt_demo_addon"] [data-testid="product-price"]')).toHaveText("$29.00");
  await expect(page.locator('[data-testid="rule-row"][data-rule="course-to-code-reviews"]')).toBeVisible();
  await expectAccessible(page, "configuration");

  // Signed out, the old session is gone.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.goto("/merchant");
  await expect(page).toHaveURL(/\/merchant\/login$/);
});

test("a customer's offer session does not open the dashboard, and the dashboard refuses to be framed", async ({ page, request, baseURL }) => {
  await buyFromDemoStore(page, COURSE, uniqueEmail("dash-customer"));
  await expect(page).toHaveURL(/\/offer\/off_/);
  // The browser holds the customer's offer session, and no merchant session.
  await page.goto("/merchant");
  await expect(page).toHaveURL(/\/merchant\/login$/);
  const res = await request.get(`${baseURL}/merchant/login`);
  expect(res.headers()["x-frame-options"]).toBe("DENY");
  expect(res.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});

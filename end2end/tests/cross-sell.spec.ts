import { test, expect } from "@playwright/test";
import { SANDBOX_URL, openHydrated } from "./helpers";
import { mintLink } from "./pages/links";
import { buyFromDemoStore, expectAccessible, expectOfferState, waitForHydration } from "./pages/offer";
import { paymentsFor, removeSavedCards, sandboxPayments, uniqueEmail } from "./pages/sandbox";

const COURSE = "pdt_demo_course";
const TOOLKIT = "pdt_demo_addon";

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

/** An existing customer: bought the course earlier (and left the post-purchase offer alone). */
async function existingCustomer(page: any, request: any, email: string): Promise<string> {
  await buyFromDemoStore(page, COURSE, email);
  await expect(page).toHaveURL(/\/offer\/off_/);
  return (await sandboxPayments(request)).find((p: any) => p.customer.email === email).customer.customer_id;
}

test("a cross-sell on the saved card makes exactly one payment", async ({ page, request }) => {
  const email = uniqueEmail("cross");
  const customer = await existingCustomer(page, request, email);
  const { url } = await mintLink(request, { audience: "cross-sell", customer_id: customer });
  await page.goto(url);
  await waitForHydration(page);
  const toolkit = page.locator('[data-testid="cross-sell-item"]', { hasText: "Instructor code reviews" });
  await expect(toolkit).toHaveAttribute("data-state", "open");
  await expect(toolkit.getByTestId("card-line")).toContainText("•••• 4242");
  await expectAccessible(page, "cross-sell");
  await toolkit.getByTestId("buy").dblclick();
  await expectOfferState(page, "succeeded");
  const charges = await paymentsFor(request, email, TOOLKIT);
  expect(charges.map((p) => p.status)).toEqual(["succeeded"]);
  expect(charges[0].metadata.source).toBe("cross_sell");
  // Back on the link: the product shows as purchased, and nothing more was charged.
  await page.goto(url);
  await expect(page.locator('[data-testid="cross-sell-item"]', { hasText: "Instructor code reviews" })).toHaveAttribute("data-state", "succeeded");
  expect((await paymentsFor(request, email, TOOLKIT)).length).toBe(1);
});

test("a customer with no usable card is sent to checkout with the reason shown", async ({ page, request }) => {
  // Frank has no saved card of his own; the card he bought the course with is removed.
  const customer = await existingCustomer(page, request, "frank@example.com");
  await removeSavedCards(request, customer, () => false);
  const { url } = await mintLink(request, { audience: "cross-sell", customer_id: customer });
  await openHydrated(page, url);
  const toolkit = page.locator('[data-testid="cross-sell-item"]', { hasText: "Instructor code reviews" });
  // The page read Frank's card a moment ago, when he bought the course; Buy reads Dodo afresh,
  // finds it gone, charges nothing and says why.
  await expect(toolkit).toHaveAttribute("data-state", "open");
  await toolkit.getByTestId("buy").click();
  // The offer's own page says so…
  await expectOfferState(page, "checkout-only");
  await expect(page.getByTestId("fallback-reason")).toHaveText(/no saved card/);
  expect(await paymentsFor(request, "frank@example.com", TOOLKIT)).toEqual([]);
  // …and so does the link when he comes back to it.
  await openHydrated(page, url);
  await expect(toolkit).toHaveAttribute("data-state", "checkout-only");
  await expect(toolkit.getByTestId("fallback-reason")).toHaveText(/no saved card/);
  await expect(toolkit.getByTestId("buy")).toHaveCount(0);
  await toolkit.getByTestId("checkout-fallback").click();
  await expect(page).toHaveURL(/\/checkout\/cks_/);
});

test("tampered, expired and wrong-page links get a page that leaks nothing", async ({ page, request }) => {
  const customer = await existingCustomer(page, request, uniqueEmail("links"));
  const { url, token } = await mintLink(request, { audience: "cross-sell", customer_id: customer });
  const tampered = url.replace(token, token.slice(0, -3) + (token.endsWith("A") ? "BBB" : "AAA"));
  let res = await page.goto(tampered);
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("error-page")).toContainText("not valid");
  await expect(page.locator("body")).not.toContainText(customer);
  const planLink = await mintLink(request, { audience: "plan-change", customer_id: customer, subscription_id: "sub_demo_alice_basic" });
  res = await page.goto(`/cross-sell?token=${planLink.token}`);
  expect(res?.status()).toBe(403);
  res = await page.goto("/cross-sell");
  expect(res?.status()).toBe(401);
  await expect(page.getByTestId("error-page")).toContainText("incomplete");
  const short = await mintLink(request, { audience: "cross-sell", customer_id: customer, ttl_seconds: 1 });
  await expect(async () => {
    const r = await page.goto(short.url);
    expect(r?.status()).toBe(403);
    await expect(page.getByTestId("error-page")).toContainText("expired", { timeout: 500 });
  }).toPass({ timeout: 10_000 });
});

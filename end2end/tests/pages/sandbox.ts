import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { SANDBOX_API_KEY, SANDBOX_URL } from "../helpers";

export const CARDS = {
  ok: "4242 4242 4242 4242",
  declined: "4000 0000 0000 0002",
  noFunds: "4000 0000 0000 9995",
  threeDs: "4000 0000 0000 3220",
};

/** A fresh email per test, so each test is its own customer unless it wants otherwise. */
export function uniqueEmail(prefix = "buyer"): string {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Fills the sandbox's hosted checkout as a customer would, and pays. */
export async function payOnHostedCheckout(page: Page, email: string, card = CARDS.ok) {
  await expect(page).toHaveURL(/\/checkout\/cks_/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Name on card").fill("Test Buyer");
  await page.getByLabel("Card number").fill(card);
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: /^Pay / }).click();
}

/** Every payment the sandbox holds, newest first. */
export async function sandboxPayments(request: APIRequestContext, query = ""): Promise<any[]> {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/payments${query}`);
  expect(res.ok()).toBe(true);
  return (await res.json()).items;
}

/** Payments of `productId` for the customer with this email (any status). */
export async function paymentsFor(request: APIRequestContext, email: string, productId: string) {
  const all = await sandboxPayments(request);
  return all.filter(
    (p) => p.customer.email === email && (p.product_cart ?? []).some((i: any) => i.product_id === productId),
  );
}

/** Leaves only the customer's saved cards for which `keep` is true (a card that was removed). */
export async function removeSavedCards(request: APIRequestContext, customerId: string, keep: (pm: any) => boolean) {
  const headers = { authorization: `Bearer ${SANDBOX_API_KEY}` };
  const list = await request.get(`${SANDBOX_URL}/customers/${customerId}/payment-methods`, { headers });
  for (const pm of (await list.json()).items) {
    if (!keep(pm)) {
      const res = await request.delete(`${SANDBOX_URL}/customers/${customerId}/payment-methods/${pm.payment_method_id}`, { headers });
      expect(res.ok()).toBe(true);
    }
  }
}

export async function advanceSandboxClock(request: APIRequestContext, minutes: number) {
  const res = await request.post(`${SANDBOX_URL}/_sandbox/clock/advance`, { data: { minutes } });
  expect(res.ok()).toBe(true);
}

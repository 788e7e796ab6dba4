import { test, expect } from "@playwright/test";
import { SANDBOX_API_KEY, SANDBOX_URL } from "./helpers";
import { payOnHostedCheckout, uniqueEmail } from "./pages/sandbox";

test("@smoke the sandbox's hosted checkout takes 4242 and returns with payment_id and status=succeeded", async ({ page, request, baseURL }) => {
  const res = await request.post(`${SANDBOX_URL}/checkouts`, {
    headers: { authorization: `Bearer ${SANDBOX_API_KEY}` },
    data: {
      product_cart: [{ product_id: "pdt_demo_course", quantity: 1 }],
      return_url: `${baseURL}/thanks`,
    },
  });
  expect(res.status()).toBe(200);
  const session = await res.json();
  expect(session.session_id).toMatch(/^cks_/);
  await page.goto(session.checkout_url);
  await expect(page.getByRole("button", { name: "Pay $49.00" })).toBeVisible();
  await payOnHostedCheckout(page, uniqueEmail("sandbox"));
  await expect(page).toHaveURL(/\/thanks\?/);
  const params = new URL(page.url()).searchParams;
  expect(params.get("payment_id")).toMatch(/^pay_/);
  expect(params.get("status")).toBe("succeeded");
  const payment = await request.get(`${SANDBOX_URL}/payments/${params.get("payment_id")}`, {
    headers: { authorization: `Bearer ${SANDBOX_API_KEY}` },
  });
  expect((await payment.json()).status).toBe("succeeded");
});

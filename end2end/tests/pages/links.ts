import { expect, type APIRequestContext } from "@playwright/test";
import { ADMIN_API_KEY } from "../helpers";

/** Mints a signed customer link through the merchant API, as a merchant's server would. */
export async function mintLink(
  request: APIRequestContext,
  body: { audience: string; customer_id: string; subscription_id?: string; ttl_seconds?: number },
): Promise<{ url: string; token: string }> {
  const res = await request.post("/api/links", { headers: { authorization: `Bearer ${ADMIN_API_KEY}` }, data: body });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

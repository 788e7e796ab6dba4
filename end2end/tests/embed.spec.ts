import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import { FOREIGN_HOST_PORT, MERCHANT_HOST_PORT, SANDBOX_API_KEY, SANDBOX_URL } from "./helpers";
import { paymentsFor, payOnHostedCheckout, uniqueEmail } from "./pages/sandbox";

// A merchant's thank-you page on another origin: Dodo's checkout returns there with
// `payment_id`, and the page embeds our offer with embed.js and records the events it gets.
function hostPage(appOrigin: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Merchant shop</title><link rel="icon" href="data:,"></head>
<body><h1>Thanks for your order</h1>
<div id="slot" data-dodo-upsell data-page="offer"></div>
<script>
  window.events = [];
  document.getElementById("slot").dataset.paymentId = new URLSearchParams(location.search).get("payment_id") || "";
  document.addEventListener("dodo-upsell", function (e) { window.events.push(e.detail); });
</script>
<script src="${appOrigin}/embed.js"></script>
</body></html>`;
}

let servers: Server[] = [];

test.beforeAll(async ({}, info) => {
  const appOrigin = new URL(String(info.project.use.baseURL)).origin;
  for (const port of [MERCHANT_HOST_PORT, FOREIGN_HOST_PORT]) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(hostPage(appOrigin));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    servers.push(server);
  }
});

test.afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${SANDBOX_URL}/_sandbox/reset`)).ok()).toBe(true);
});

/** Buys the course on the sandbox checkout, returning to the merchant host page on `port`. */
async function buyReturningTo(page: Page, request: APIRequestContext, port: number, email: string) {
  const res = await request.post(`${SANDBOX_URL}/checkouts`, {
    headers: { authorization: `Bearer ${SANDBOX_API_KEY}` },
    data: {
      product_cart: [{ product_id: "pdt_demo_course", quantity: 1 }],
      return_url: `http://127.0.0.1:${port}/thanks`,
      feature_flags: { redirect_immediately: true },
    },
  });
  expect(res.ok()).toBe(true);
  await page.goto((await res.json()).checkout_url);
  await payOnHostedCheckout(page, email);
  await expect(page).toHaveURL(new RegExp(`127\\.0\\.0\\.1:${port}/thanks\\?`));
}

const events = (page: Page) => page.evaluate(() => (window as any).events as any[]);

test("an offer embedded on a merchant origin resizes, charges once and reports its events", async ({ page, request }) => {
  const email = uniqueEmail("embed");
  await buyReturningTo(page, request, MERCHANT_HOST_PORT, email);
  const frame = page.frameLocator("#slot iframe");
  await expect(frame.getByTestId("offer")).toHaveAttribute("data-state", "open");
  await expect(frame.locator("body")).toHaveAttribute("data-hydrated", "true");
  // The loader sized the frame to what the page reported.
  await expect.poll(async () => (await events(page)).some((e) => e.type === "resize")).toBe(true);
  const reported = (await events(page)).filter((e) => e.type === "resize").at(-1).height;
  const frameHeight = await page.locator("#slot iframe").evaluate((el) => (el as HTMLIFrameElement).getBoundingClientRect().height);
  expect(Math.round(frameHeight)).toBe(Math.max(reported, 600));
  await expect(frame.getByTestId("open-in-new-tab")).toBeVisible();

  await frame.getByTestId("accept").click();
  await expect(frame.getByTestId("offer")).toHaveAttribute("data-state", "succeeded");
  await expect.poll(async () => (await events(page)).map((e) => e.type).filter((t) => t !== "resize" && t !== "ready"))
    .toEqual(["offer_shown", "offer_accepted", "payment_succeeded"]);
  for (const e of await events(page)) {
    expect(e.source).toBe("dodo-upsell");
    expect(JSON.stringify(e)).not.toMatch(/access|token|eyJ/); // ids only, no secrets
  }
  expect((await paymentsFor(request, email, "pdt_demo_addon")).map((p) => p.status)).toEqual(["succeeded"]);
});

test("a page on an origin that is not configured cannot frame the app and gets no events", async ({ page, request }) => {
  const blocked: string[] = [];
  page.on("console", (m) => { if (m.text().includes("frame-ancestors")) blocked.push(m.text()); });
  await buyReturningTo(page, request, FOREIGN_HOST_PORT, uniqueEmail("foreign"));
  // The browser refuses to render our page in the frame (Content-Security-Policy frame-ancestors).
  await expect.poll(() => blocked.length).toBeGreaterThan(0);
  await expect(page.frameLocator("#slot iframe").getByTestId("offer")).toHaveCount(0);
  expect(await events(page)).toEqual([]);
});

import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import { CROSS_SITE_HOST, FOREIGN_HOST_PORT, MERCHANT_HOST_PORT, SANDBOX_API_KEY, SANDBOX_URL } from "./helpers";
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
  const hosts: [string, number][] = [
    ["127.0.0.1", MERCHANT_HOST_PORT],
    ["127.0.0.1", FOREIGN_HOST_PORT],
    [CROSS_SITE_HOST.host, CROSS_SITE_HOST.port],
  ];
  for (const [host, port] of hosts) {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(hostPage(appOrigin));
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
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

/** Buys the course on the sandbox checkout, returning to the merchant host page on `port`
 * (of 127.0.0.1, or of `host`). */
async function buyReturningTo(page: Page, request: APIRequestContext, port: number, email: string, host = "127.0.0.1") {
  const res = await request.post(`${SANDBOX_URL}/checkouts`, {
    headers: { authorization: `Bearer ${SANDBOX_API_KEY}` },
    data: {
      product_cart: [{ product_id: "pdt_demo_course", quantity: 1 }],
      return_url: `http://${host}:${port}/thanks`,
      feature_flags: { redirect_immediately: true },
    },
  });
  expect(res.ok()).toBe(true);
  await page.goto((await res.json()).checkout_url);
  await payOnHostedCheckout(page, email);
  await expect(page).toHaveURL(new RegExp(`${host.replaceAll(".", "\\.")}:${port}/thanks\\?`));
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

test("an offer framed on another site keeps its customer across reloads without cookies", async ({ page, request }) => {
  // 127.0.0.2 is another site than the app's 127.0.0.1: the frame's cookie is never sent back
  // (as in Safari and Firefox, which block third-party cookies; this Chromium also denies the
  // frame its storage).
  const appOrigin = new URL(String(test.info().project.use.baseURL)).origin;
  const cookiesSent: string[] = [];
  page.on("request", async (req) => {
    if (!req.url().startsWith(appOrigin)) return;
    const cookie = (await req.allHeaders())["cookie"] ?? "";
    if (cookie.includes("dodo_upsell")) cookiesSent.push(req.url());
  });
  await buyReturningTo(page, request, CROSS_SITE_HOST.port, uniqueEmail("nocookie"), CROSS_SITE_HOST.host);
  const frame = page.frameLocator("#slot iframe");
  await expect(frame.getByTestId("offer")).toHaveAttribute("data-state", "open");
  // The frame's deferred script hands its session to the loader right after the page is
  // parsed; a reload before that would (rightly) be another browser.
  await expect
    .poll(() => page.evaluate(() => Object.keys(sessionStorage).some((k) => k.startsWith("dodo-upsell-session:"))))
    .toBe(true);

  // The merchant page reloads: the same customer sees the same offer, not "another browser".
  await page.reload();
  await expect(frame.getByTestId("offer")).toHaveAttribute("data-state", "open");
  await expect(frame.getByTestId("open-in-new-tab")).toBeVisible();

  // "No thanks" leads to the downsell, still framed, still this customer's.
  await expect(frame.locator("body")).toHaveAttribute("data-hydrated", "true");
  await frame.getByTestId("decline").click();
  await expect(frame.getByTestId("accept")).toHaveText("Pay $19.00 now");
  await expect(frame.getByTestId("offer")).toHaveAttribute("data-state", "open");
  await expect(frame.getByTestId("open-in-new-tab")).toBeVisible();
  await page.reload();
  await expect(frame.getByTestId("offer")).toHaveAttribute("data-state", "declined");
  expect(cookiesSent).toEqual([]);
});

import { test, expect, type Page } from "@playwright/test";
import { buyFromDemoStore } from "./pages/offer";
import { uniqueEmail } from "./pages/sandbox";
import { brotliCompressSync, constants } from "node:zlib";
import { openHydrated } from "./helpers";
import { mintLink } from "./pages/links";

// First-load weight budget of each customer page: HTML + CSS + JS + WASM (the main module and
// the lazily loaded chunks of the page's own islands), as a phone on a fresh cache downloads
// them. Measured on the release build only (debug WASM is unoptimised). README "Page weight"
// has the figures and what weighs what.
const BUDGET_BROTLI_BYTES = 100_000;
// The stretch goal for the post-purchase offer, printed beside its figure.
const GOAL_BROTLI_BYTES = 60_000;

// Every page a customer opens. `reach` gets there as a customer would (with the cookies that
// takes) and returns the address; the weight is then measured on a cold cache.
const CUSTOMER_PAGES: { name: string; reach: (page: Page) => Promise<string> }[] = [
  { name: "start page", reach: async () => "/" },
  {
    name: "post-purchase offer",
    reach: async (page) => {
      await buyFromDemoStore(page, "pdt_demo_course", uniqueEmail("weight"));
      await expect(page).toHaveURL(/\/offer\/off_/);
      return page.url();
    },
  },
  {
    name: "cross-sell page",
    // A demo customer of the sandbox who already owns the course.
    reach: async (page) => (await mintLink(page.request, { audience: "cross-sell", customer_id: "cus_demo_grace" })).url,
  },
  { name: "plan-change page", reach: async () => planChangeLink() },
];

/** A signed plan-change link, from the sandbox-only demo page. */
async function planChangeLink() {
  const html = await (await fetch(`${process.env.BASE_URL ?? "http://127.0.0.1:3000"}/demo/plan-change`)).text();
  const href = html.match(/href="(\/plan-change\?token=[^"]+)"/)?.[1];
  if (!href) throw new Error("no demo plan-change link");
  return href.replace(/&amp;/g, "&");
}

type Row = { url: string; kind: string; raw: number; brotli: number };

async function measure(page: Page, path: string): Promise<Row[]> {
  // Which files a first visit loads (server-function calls are not page weight)…
  const seen = new Map<string, string>();
  page.on("response", (response) => {
    // Everything the page downloads (the WASM arrives as "other", through a preload link).
    const kind = response.request().resourceType();
    if (kind === "websocket" || response.url().includes("/api/")) return;
    seen.set(response.url(), kind);
  });
  await openHydrated(page, path);
  await page.waitForLoadState("networkidle");
  // …then how big each is: fetched again (the WASM's streamed body is not kept by the
  // browser), measured raw and brotli-compressed at the quality of the precompressed files.
  const rows: Row[] = [];
  for (const [url, kind] of seen) {
    const body = await (await page.request.get(url)).body();
    const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    rows.push({ url: new URL(url).pathname, kind, raw: body.length, brotli });
  }
  return rows;
}

test.skip(process.env.E2E_SUITE === "smoke", "page weight is measured on the release build");

for (const entry of CUSTOMER_PAGES) {
  test(`first load of the ${entry.name} fits the budget`, async ({ page, browser }) => {
    const path = await entry.reach(page);
    const cold = await browser.newContext({
      storageState: await page.context().storageState(),
      baseURL: test.info().project.use.baseURL,
    });
    const rows = await measure(await cold.newPage(), path);
    await cold.close();
    const raw = rows.reduce((s, r) => s + r.raw, 0);
    const brotli = rows.reduce((s, r) => s + r.brotli, 0);
    const lines = rows.map((r) => `  ${r.kind.padEnd(10)} ${String(r.raw).padStart(9)} ${String(r.brotli).padStart(9)}  ${r.url}`);
    console.log(
      [`page weight: ${entry.name} (${path})`, "  kind             raw    brotli  url", ...lines,
        `  total      ${String(raw).padStart(9)} ${String(brotli).padStart(9)}  (budget ${BUDGET_BROTLI_BYTES}, offer goal ${GOAL_BROTLI_BYTES})`].join("\n"),
    );
    expect(rows.some((r) => r.url.endsWith(".wasm")), "the page loads its WASM").toBe(true);
    expect(brotli).toBeLessThanOrEqual(BUDGET_BROTLI_BYTES);
  });
}

test("static assets are served precompressed with brotli", async ({ request }) => {
  const wasm = await request.get("/pkg/dodo_upsell.wasm", { headers: { "accept-encoding": "br" } });
  expect(wasm.status()).toBe(200);
  expect(wasm.headers()["content-encoding"]).toBe("br");
});

test("the browser bundle carries no secret and no server-only code", async ({ request }) => {
  // The main module, its JavaScript, and every lazily loaded chunk the split build wrote.
  const manifest: Record<string, string[]> = await (await request.get("/pkg/__wasm_split_manifest.json")).json();
  const chunks = [...new Set(Object.values(manifest).flat())].map((c) => `/pkg/${c}.wasm`);
  expect(chunks.length, "the build is split into per-island chunks").toBeGreaterThan(0);
  for (const file of ["/pkg/dodo_upsell.wasm", "/pkg/dodo_upsell.js", ...chunks]) {
    const body = (await (await request.get(file)).body()).toString("latin1");
    for (const needle of [
      "sandbox_sk_test", // the sandbox API key
      "whsec_", // webhook secrets
      "e2e-admin-key", // the admin key the e2e server runs with
      "DODO_PAYMENTS_API_KEY",
      "LINK_SIGNING_KEY",
      "link_signing_key",
      "sqlx", // the store
      "dodopayments", // the server's Dodo SDK
    ]) {
      expect(body.includes(needle), `${file} contains ${needle}`).toBe(false);
    }
  }
});

import { test, expect, type Page } from "@playwright/test";
import { brotliCompressSync, constants } from "node:zlib";
import { openHydrated } from "./helpers";

// First-load weight budget of each customer page: HTML + CSS + JS + WASM, as a phone on a
// fresh cache downloads them. Measured on the release build only (debug WASM is unoptimised).
const BUDGET_BROTLI_BYTES = 200_000;
const GOAL_BROTLI_BYTES = 100_000;

// Every page a customer opens. Later pages add themselves here.
const CUSTOMER_PAGES: { name: string; path: () => Promise<string> | string }[] = [
  { name: "start page", path: "/" },
  { name: "plan-change page", path: planChangeLink },
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
  const rows: Row[] = [];
  const pending: Promise<void>[] = [];
  page.on("response", (response) => {
    const kind = response.request().resourceType();
    // Chromium reports the WASM (fetched by the loader's instantiateStreaming) as "other".
    const wasm = response.url().endsWith(".wasm");
    if (!wasm && !["document", "stylesheet", "script", "fetch", "image"].includes(kind)) return;
    if (response.url().includes("/api/")) return; // server-function calls are not page weight
    pending.push(
      response.body().then(
        (body) => {
          const brotli = brotliCompressSync(body, {
            params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
          }).length;
          rows.push({ url: new URL(response.url()).pathname, kind, raw: body.length, brotli });
        },
        () => undefined,
      ),
    );
  });
  await openHydrated(page, path);
  await page.waitForLoadState("networkidle");
  await Promise.all(pending);
  return rows;
}

test.skip(process.env.E2E_SUITE === "smoke", "page weight is measured on the release build");

for (const entry of CUSTOMER_PAGES) {
  test(`first load of the ${entry.name} fits the budget`, async ({ page }) => {
    const path = typeof entry.path === "string" ? entry.path : await entry.path();
    const rows = await measure(page, path);
    const raw = rows.reduce((s, r) => s + r.raw, 0);
    const brotli = rows.reduce((s, r) => s + r.brotli, 0);
    const lines = rows.map((r) => `  ${r.kind.padEnd(10)} ${String(r.raw).padStart(9)} ${String(r.brotli).padStart(9)}  ${r.url}`);
    console.log(
      [`page weight: ${entry.name} (${path})`, "  kind             raw    brotli  url", ...lines,
        `  total      ${String(raw).padStart(9)} ${String(brotli).padStart(9)}  (budget ${BUDGET_BROTLI_BYTES}, goal ${GOAL_BROTLI_BYTES})`].join("\n"),
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

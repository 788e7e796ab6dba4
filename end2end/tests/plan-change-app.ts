// Page object and helpers for the plan-change pages, plus a second copy of the app for tests
// that need another merchant configuration (e.g. each proration mode as an override).
import { expect, type Page, type APIRequestContext } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openHydrated } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");

/** A signed plan-change link for a demo subscription, minted by the app's sandbox-only page. */
export async function demoLink(request: APIRequestContext, baseURL: string, subscription: string) {
  const html = await (await request.get(`${baseURL}/demo/plan-change`)).text();
  const match = html.match(new RegExp(`href="([^"]+)"[^>]*data-testid="demo-${subscription}"`));
  expect(match, `demo link for ${subscription}`).not.toBeNull();
  return new URL(match![1].replace(/&amp;/g, "&"), baseURL).toString();
}

export async function resetSandbox(request: APIRequestContext, sandboxUrl: string) {
  const res = await request.post(`${sandboxUrl}/_sandbox/reset`);
  expect(res.ok()).toBe(true);
}

export type ChangePlanRequest = { seq: number; body: Record<string, unknown>; path: string; status: number };

/** Every change-plan request the app sent to the sandbox (not previews). */
export async function changePlanRequests(request: APIRequestContext, sandboxUrl: string) {
  const res = await request.get(`${sandboxUrl}/_sandbox/requests`, {
    params: { method: "POST", path: "/subscriptions/*/change-plan" },
  });
  return ((await res.json()).items as ChangePlanRequest[])
    .filter((r) => r.path.endsWith("/change-plan"))
    .sort((a, b) => a.seq - b.seq);
}

/** Payments the sandbox holds for a subscription, newest first. */
export async function sandboxPayments(request: APIRequestContext, sandboxUrl: string, subscription: string) {
  const res = await request.get(`${sandboxUrl}/_sandbox/payments`, { params: { subscription_id: subscription } });
  return (await res.json()).items as { total_amount: number; status: string; metadata: Record<string, string> }[];
}

export async function sandboxSubscription(request: APIRequestContext, sandboxUrl: string, id: string) {
  const res = await request.get(`${sandboxUrl}/_sandbox/subscriptions/${id}`);
  return (await res.json()) as {
    subscription: { product_id: string; status: string; scheduled_change: { product_id: string } | null };
    credit_balance: number;
  };
}

/** "$25.00" → 2500; "−$15.00" (a minus sign or a hyphen) → -1500. */
export function cents(text: string) {
  const m = text.replace(/,/g, "").match(/([-\u2212]?)\$(\d+)\.(\d{2})/);
  expect(m, `an amount in ${text}`).not.toBeNull();
  return (m![1] ? -1 : 1) * (Number(m![2]) * 100 + Number(m![3]));
}

/** The plan-change page: finding things, doing things, checking things. */
export class PlanChangePage {
  constructor(readonly page: Page) {}

  async open(link: string) {
    await openHydrated(this.page, link);
    await expect(this.page.getByRole("heading", { level: 1 })).toHaveText("Change your plan");
  }

  plan(name: string) {
    return this.page.getByRole("radio", { name, exact: true });
  }

  get total() {
    return this.page.getByTestId("preview-total");
  }

  get continueButton() {
    return this.page.getByTestId("continue");
  }

  get dialog() {
    return this.page.getByRole("alertdialog");
  }

  /** Chooses a plan and waits for Dodo's preview to be shown. */
  async choose(name: string) {
    await this.plan(name).check();
    await expect(this.page.getByTestId("preview-area")).toHaveAttribute("data-ready", "true");
    await expect(this.page.getByTestId("preview-area")).toHaveAttribute("aria-busy", "false");
    await expect(this.continueButton).toBeEnabled();
  }

  async openDialog() {
    await this.continueButton.click();
    await expect(this.dialog).toBeVisible();
  }

  /** Confirms in the dialog and waits for the status page to show a settled outcome. */
  async confirm() {
    await this.dialog.getByTestId("dialog-confirm").click();
    await this.waitForOutcome();
  }

  async waitForOutcome() {
    await expect(this.page.getByTestId("plan-change-status")).toBeVisible();
    await expect(this.page.getByTestId("plan-change-status")).not.toHaveAttribute("data-status", "processing", {
      timeout: 20_000,
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The server binary under test: APP_BIN, else the most recently built one. */
function appBinary(): string {
  if (process.env.APP_BIN) return process.env.APP_BIN;
  const found = ["target/release/dodo-upsell", "target/debug/dodo-upsell"]
    .map((p) => path.join(ROOT, p))
    .filter((p) => fs.existsSync(p))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (found.length === 0) throw new Error("no dodo-upsell binary under target/; build first");
  return found[0];
}

export type SecondApp = {
  url: string;
  sandboxUrl: string;
  dir: string;
  ports: [number, number];
  logs: () => string;
  /** Stops the app; `keepStore` keeps its store for a restart (`startApp(rules, this)`). */
  stop: (options?: { keepStore?: boolean }) => Promise<void>;
};

/**
 * Starts another copy of the app (its own embedded sandbox, store and free ports) with the
 * given merchant rules. Used for settings the shipped merchant.toml does not have. With
 * `restart` (a stopped app whose store was kept), the same store and ports again, with a
 * fresh embedded sandbox — as after restarting `make run`.
 */
export async function startApp(merchantToml: string, restart?: SecondApp): Promise<SecondApp> {
  const dir = restart?.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "dodo-plan-change-"));
  const config = path.join(dir, "merchant.toml");
  fs.writeFileSync(config, merchantToml);
  const [port, sandboxPort] = restart?.ports ?? [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(appBinary(), [], {
    cwd: ROOT,
    env: {
      ...process.env,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      DODO_SANDBOX_ADDR: `127.0.0.1:${sandboxPort}`,
      DATABASE_URL: `sqlite://${dir}/app.db`,
      MERCHANT_CONFIG: config,
      PUBLIC_URL: url,
      RUST_LOG: "info,sqlx=warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`the second app exited: ${output}`);
        try {
          return (await fetch(`${url}/healthz`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 20_000, intervals: [100] },
    )
    .toBe(200);
  return {
    url,
    sandboxUrl: `http://127.0.0.1:${sandboxPort}`,
    dir,
    ports: [port, sandboxPort],
    logs: () => output,
    stop: async ({ keepStore = false } = {}) => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      if (!keepStore) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Merchant rules for the demo collection with the given overrides (TOML lines). */
export function demoRules(overrides: string) {
  return `
[[plan_change.families]]
id = "demo-plans"
collection = "pcol_demo_plans"

[[plan_change.families.tiers]]
name = "Starter"
plans = ["pdt_demo_starter"]
[[plan_change.families.tiers]]
name = "Basic"
plans = ["pdt_demo_basic"]
[[plan_change.families.tiers]]
name = "Pro"
plans = ["pdt_demo_pro", "pdt_demo_pro_yearly"]

[plan_change.families.downsell]
from = ["pdt_demo_pro"]
product = "pdt_demo_pro_yearly"
headline = "Keep Pro for less: switch to yearly billing"

${overrides}
`;
}

// Subscription plan change (issue 6) against the embedded Dodo sandbox: Alice is on Basic
// ($30/month) on day 15 of a 30-day cycle with a working card, Carol the same with a card
// that is declined. The demo collection upgrades with `prorated_immediately` now and
// downgrades with `difference_immediately` at the next billing date.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { SANDBOX_URL, collectErrors, openHydrated } from "./helpers";
import {
  PlanChangePage,
  cents,
  changePlanRequests,
  demoLink,
  demoRules,
  resetSandbox,
  sandboxPayments,
  sandboxSubscription,
  startApp,
} from "./plan-change-app";

const ALICE = "sub_demo_alice_basic";
const CAROL = "sub_demo_carol_basic";

async function expectNoAxeViolations(page: Page, state: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, `axe violations (${state})`).toEqual([]);
}

test.describe("plan change", () => {
  test.beforeEach(async ({ request }) => {
    await resetSandbox(request, SANDBOX_URL);
  });

  test("@smoke the comparison page shows the current plan and the collection's other active plans", async ({
    page,
    request,
    baseURL,
  }) => {
    const errors = collectErrors(page);
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    await expect(page.getByTestId("card-pdt_demo_basic")).toContainText("Current plan");
    await expect(page.getByTestId("card-pdt_demo_basic")).toContainText("$30.00 per month");
    const offered = await page.getByRole("radio").evaluateAll((rs) => rs.map((r) => (r as HTMLInputElement).value));
    // Exactly the other active plans of pcol_demo_plans (legacy is inactive; team is in no collection).
    expect(offered.sort()).toEqual(["pdt_demo_free", "pdt_demo_pro", "pdt_demo_pro_yearly", "pdt_demo_starter"]);
    await expect(page.getByTestId("card-pdt_demo_pro_yearly").getByTestId("savings")).toHaveText(
      "Save 17% with yearly",
    );
    await expect(page.getByTestId("card-pdt_demo_pro")).toContainText("You gain");
    await expect(page.getByTestId("card-pdt_demo_starter")).toContainText("You lose");
    await expect(page.getByTestId("preview-idle")).toBeVisible();
    await expectNoAxeViolations(page, "comparison");
    expect(errors).toEqual([]);
  });

  test("@smoke an upgrade previews $25.00 (prorated) and the sandbox charges exactly that", async ({
    page,
    request,
    baseURL,
  }) => {
    const errors = collectErrors(page);
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    await pc.choose("Pro");
    await expect(pc.total).toHaveText("$25.00");
    await expect(page.getByTestId("preview-announcement")).toHaveText("Price updated: $25.00 due today.");
    await expectNoAxeViolations(page, "preview");

    await pc.openDialog();
    const dialog = pc.dialog;
    await expect(dialog).toHaveAttribute("aria-labelledby", "pc-dialog-title");
    await expect(dialog).toHaveAttribute("aria-describedby", "pc-dialog-summary");
    await expect(dialog.getByRole("heading")).toHaveText("Upgrade to Pro now");
    await expect(page.locator("#pc-dialog-summary")).toHaveText(
      "You will be charged $25.00 today and your plan changes to Pro right away.",
    );
    await expect(dialog.getByRole("table")).toBeVisible();
    await expect(dialog.getByRole("columnheader", { name: "Item" })).toBeVisible();
    // Each line's amount, with the arithmetic beside it; lines, credit and tax add up to the
    // amount the button names.
    await expect(dialog.getByTestId("line-amount")).toHaveText(["$40.00"]);
    await expect(dialog.getByTestId("line-arithmetic")).toHaveText(["$80.00 × 1 × 50% of the billing period"]);
    await expect(dialog.getByTestId("credit")).toHaveText("−$15.00 credit");
    await expect(dialog.getByTestId("tax")).toHaveText("$0.00");
    await expect(dialog.getByTestId("total-due")).toHaveText("$25.00");
    const lines = (await dialog.getByTestId("line-amount").allInnerTexts()).map(cents);
    const sum = lines.reduce((a, b) => a + b, 0) + cents(await dialog.getByTestId("credit").innerText()) +
      cents(await dialog.getByTestId("tax").innerText());
    expect(sum).toBe(cents(await dialog.getByTestId("total-due").innerText()));
    await expect(dialog.getByTestId("card")).toHaveText("Visa card ending in 4242");
    await expect(dialog.getByTestId("next-bill")).toContainText("$80.00 on");
    await expect(dialog.getByTestId("consent")).toContainText("I'll be charged $25.00 today for Pro");
    const pay = dialog.getByRole("button", { name: "Pay $25.00 now" });
    await expect(pay).toBeVisible();
    // Initial focus on the least destructive action; the page behind cannot scroll.
    await expect(dialog.getByRole("button", { name: "Go back" })).toBeFocused();
    await expect(page.locator("body")).toHaveClass(/overflow-hidden/);
    await expectNoAxeViolations(page, "dialog");

    const shown = cents(await dialog.getByTestId("total-due").innerText());
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "succeeded");
    await expect(page.getByTestId("status-title")).toHaveText("You are now on Pro");
    await expectNoAxeViolations(page, "success");

    const payments = await sandboxPayments(request, SANDBOX_URL, ALICE);
    expect(payments).toHaveLength(1);
    expect(payments[0].total_amount).toBe(shown);
    expect(payments[0].status).toBe("succeeded");
    expect(payments[0].metadata.attempt_id).toMatch(/^pca_/);
    const sent = await changePlanRequests(request, SANDBOX_URL);
    expect(sent).toHaveLength(1);
    // The collection's upgrade defaults, and the business default for payment failure.
    expect(sent[0].body).toMatchObject({
      product_id: "pdt_demo_pro",
      quantity: 1,
      proration_billing_mode: "prorated_immediately",
      effective_at: "immediately",
      on_payment_failure: "prevent_change",
    });
    expect((await sandboxSubscription(request, SANDBOX_URL, ALICE)).subscription.product_id).toBe("pdt_demo_pro");
    expect(errors).toEqual([]);
  });

  test("the dialog traps focus, closes on Escape and gives focus back", async ({ page, request, baseURL }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    await pc.choose("Pro");
    await pc.openDialog();
    const back = pc.dialog.getByRole("button", { name: "Go back" });
    const pay = pc.dialog.getByRole("button", { name: "Pay $25.00 now" });
    await expect(back).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(pay).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(back).toBeFocused();
    await page.keyboard.press("Shift+Tab");
    await expect(pay).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(pc.dialog).toBeHidden();
    await expect(pc.continueButton).toBeFocused();
    await expect(page.locator("body")).not.toHaveClass(/overflow-hidden/);
    // Nothing was sent.
    expect(await changePlanRequests(request, SANDBOX_URL)).toHaveLength(0);
  });

  test("a preview that never arrives says so and keeps Continue off", async ({ page, request, baseURL }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    // The connection drops on the way to the preview (not Dodo: the browser's own request).
    await page.route("**/api/plan_change_preview", (route) => route.abort("internetdisconnected"));
    await pc.plan("Pro").check();
    await expect(page.getByTestId("preview-problem")).toHaveText(
      "Something went wrong on our side. Nothing was charged. Please try again in a moment.",
    );
    await expect(page.getByTestId("preview-area")).toHaveAttribute("data-ready", "false");
    await expect(page.getByTestId("preview-area")).toHaveAttribute("aria-busy", "false");
    await expect(pc.continueButton).toBeDisabled();
    // Back online, the next choice is previewed as usual.
    await page.unroute("**/api/plan_change_preview");
    await pc.choose("Starter");
    await expect(page.getByTestId("preview-problem")).toHaveCount(0);
  });

  test("a keyboard-only upgrade", async ({ page, request, baseURL }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    // Tab to the plan choice, pick Pro with the arrow keys.
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === "plan")) break;
    }
    while (!(await pc.plan("Pro").isChecked())) {
      await page.keyboard.press("ArrowDown");
    }
    await expect(pc.total).toHaveText("$25.00");
    await expect(pc.continueButton).toBeEnabled();
    while (!(await pc.continueButton.evaluate((el) => el === document.activeElement))) {
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await expect(pc.dialog).toBeVisible();
    await page.keyboard.press("Tab");
    await expect(pc.dialog.getByRole("button", { name: "Pay $25.00 now" })).toBeFocused();
    await page.keyboard.press("Enter");
    await pc.waitForOutcome();
    await expect(page.getByTestId("status-title")).toHaveText("You are now on Pro");
    expect((await sandboxPayments(request, SANDBOX_URL, ALICE))[0].total_amount).toBe(2500);
  });

  test("a double confirm makes one change", async ({ page, request, baseURL }) => {
    const link = await demoLink(request, baseURL!, ALICE);
    // The confirm form posted twice at once (a double submit without JavaScript).
    const token = new URL(link, baseURL).searchParams.get("token")!;
    // What the no-JavaScript review page's form posts: the plan and every amount it showed.
    await page.goto(`/plan-change/review?token=${token}&plan=pdt_demo_pro&quantity=1`);
    const field = (name: string) => page.locator(`[data-testid="confirm-form"] input[name="${name}"]`).getAttribute("value");
    const form: Record<string, string> = { token, product_id: "pdt_demo_pro", quantity: "1" };
    for (const name of ["agreed_total", "agreed_currency", "agreed_tax", "agreed_credits", "agreed_next_billing"]) {
      form[name] = (await field(name))!;
    }
    expect(form.agreed_total).toBe("2500");
    const posts = await Promise.all(
      [0, 1, 2].map(() => request.post("/api/plan_change_confirm", { form, maxRedirects: 0 })),
    );
    const answers = await Promise.all(posts.map((r) => r.json()));
    expect(new Set(answers.map((a) => a.go_to)).size, "every submit shows the same change").toBe(1);
    expect(await changePlanRequests(request, SANDBOX_URL)).toHaveLength(1);

    // A double click on the dialog's button.
    const pc = new PlanChangePage(page);
    await page.goto(answers[0].go_to);
    await pc.waitForOutcome();
    await pc.open(link);
    await pc.choose("Starter");
    await pc.openDialog();
    await pc.dialog.getByTestId("dialog-confirm").dblclick();
    await pc.waitForOutcome();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "scheduled");
    const sent = await changePlanRequests(request, SANDBOX_URL);
    expect(sent.map((r) => r.body.product_id)).toEqual(["pdt_demo_pro", "pdt_demo_starter"]);
    expect((await sandboxPayments(request, SANDBOX_URL, ALICE)).map((p) => p.total_amount)).toEqual([2500]);
  });

  test("a scheduled downgrade shows its date, and Undo cancels it", async ({ page, request, baseURL }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    await pc.choose("Starter");
    await expect(pc.total).toHaveText("$0.00");
    await pc.openDialog();
    await expect(pc.dialog.getByRole("heading")).toHaveText(/^Downgrade to Starter on \d{1,2} \w+ \d{4}$/);
    const button = pc.dialog.getByTestId("dialog-confirm");
    await expect(button).toHaveText(/^Switch to Starter on \d{1,2} \w+ \d{4}$/);
    await expect(pc.dialog.getByTestId("consent")).toContainText("nothing is charged today");
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "scheduled");
    await expect(page.getByTestId("status-title")).toHaveText(/^Your plan changes to Starter on \d{1,2} \w+ \d{4}$/);
    await expectNoAxeViolations(page, "scheduled");
    const sent = await changePlanRequests(request, SANDBOX_URL);
    expect(sent[0].body).toMatchObject({
      product_id: "pdt_demo_starter",
      proration_billing_mode: "difference_immediately",
      effective_at: "next_billing_date",
    });
    expect((await sandboxSubscription(request, SANDBOX_URL, ALICE)).subscription.scheduled_change?.product_id).toBe(
      "pdt_demo_starter",
    );
    expect(await sandboxPayments(request, SANDBOX_URL, ALICE)).toHaveLength(0);

    // The plan page shows the scheduled change too.
    await page.getByTestId("back-to-plans").click();
    await expect(page.getByTestId("scheduled-banner")).toContainText("Your plan changes to Starter on");
    await page.getByTestId("undo").click();
    await expect(page.getByTestId("notice")).toHaveText("Done: you stay on Basic.");
    await expect(page.getByTestId("scheduled-banner")).toHaveCount(0);
    expect((await sandboxSubscription(request, SANDBOX_URL, ALICE)).subscription.scheduled_change).toBeNull();
    await expectNoAxeViolations(page, "undone");
  });

  test("a declined card fails the change, the plan stays and the card can be updated", async ({
    page,
    request,
    baseURL,
  }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, CAROL));
    await pc.choose("Pro");
    await pc.openDialog();
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "declined");
    await expect(page.getByRole("alert")).toContainText("Your payment did not go through");
    await expect(page.getByRole("alert")).toContainText("you are still on Basic");
    await expectNoAxeViolations(page, "declined");
    const sub = await sandboxSubscription(request, SANDBOX_URL, CAROL);
    expect(sub.subscription.product_id).toBe("pdt_demo_basic");
    expect(sub.subscription.status).toBe("active");
    const payments = await sandboxPayments(request, SANDBOX_URL, CAROL);
    expect(payments.map((p) => p.status)).toEqual(["failed"]);
    // A way to update the payment method: Dodo's hosted card form for this subscription.
    await page.getByTestId("update-card").click();
    await expect(page.getByLabel("Card number")).toBeVisible();
  });

  test("a change waiting for Dodo shows as processing, then its outcome", async ({ page, request, baseURL }) => {
    // Webhooks held and payment look-ups failing: only Dodo's later answer can settle it.
    await request.put(`${SANDBOX_URL}/_sandbox/webhooks/config`, { data: { hold: true } });
    await request.post(`${SANDBOX_URL}/_sandbox/faults`, {
      data: { method: "GET", path: "/payments", count: 1000, fault: "status", status: 503 },
    });
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, CAROL));
    await pc.choose("Pro");
    await pc.openDialog();
    await pc.dialog.getByTestId("dialog-confirm").click();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "processing");
    await expect(page.getByTestId("status-title")).toHaveText("Changing your plan…");
    await expect(page.getByTestId("check-again")).toBeVisible();
    await expectNoAxeViolations(page, "processing");
    // Dodo answers: the watcher notices and shows the outcome without a click.
    await request.delete(`${SANDBOX_URL}/_sandbox/faults`);
    await request.post(`${SANDBOX_URL}/_sandbox/webhooks/flush`, { data: {} });
    await pc.waitForOutcome();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "declined");
  });

  test("a change already waiting at Dodo (409) is shown as pending, not as an error", async ({
    page,
    request,
    baseURL,
  }) => {
    await request.post(`${SANDBOX_URL}/_sandbox/faults`, {
      data: { method: "POST", path: "/subscriptions/*/change-plan", count: 1, fault: "status", status: 409 },
    });
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    await pc.choose("Pro");
    await pc.openDialog();
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "pendingexists");
    await expect(page.getByTestId("status-title")).toHaveText("A plan change is already in progress");
    await expect(page.getByRole("alert")).toHaveCount(0);
    await expectNoAxeViolations(page, "pending");
    expect(await sandboxPayments(request, SANDBOX_URL, ALICE)).toHaveLength(0);
  });

  test("the essential path works without JavaScript", async ({ browser, page: scanner, request, baseURL }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(await demoLink(request, baseURL!, ALICE));
    await page.getByRole("radio", { name: "Pro", exact: true }).check();
    await page.getByRole("button", { name: "Review the change" }).click();
    await expect(page.getByTestId("review-title")).toHaveText("Upgrade to Pro now");
    await expect(page.getByTestId("total-due")).toHaveText("$25.00");
    await expect(page.getByTestId("consent")).toContainText("I'll be charged $25.00 today for Pro");
    const review = page.url();
    await page.getByRole("button", { name: "Pay $25.00 now" }).click();
    await expect(page.getByTestId("plan-change-status")).toBeVisible();
    // Without the watcher island, "Check again" refreshes by hand.
    await expect(async () => {
      if ((await page.getByTestId("plan-change-status").getAttribute("data-status")) === "processing") {
        await page.getByTestId("check-again").click();
      }
      await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "succeeded", {
        timeout: 500,
      });
    }).toPass({ timeout: 15_000 });
    expect((await sandboxPayments(request, SANDBOX_URL, ALICE))[0].total_amount).toBe(2500);
    await context.close();
    // axe needs JavaScript: scan the same review page in a normal tab.
    await resetSandbox(request, SANDBOX_URL);
    await scanner.goto(review);
    await expect(scanner.getByTestId("review-title")).toHaveText("Upgrade to Pro now");
    await expectNoAxeViolations(scanner, "review");
  });

  test("a link for another page or a tampered link is refused", async ({ page, request, baseURL }) => {
    const link = await demoLink(request, baseURL!, ALICE);
    const response = await page.goto(link.slice(0, -3) + "abc");
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId("error-page")).toHaveAttribute("data-error", "link-invalid");
    const missing = await page.goto("/plan-change");
    expect(missing?.status()).toBe(401);
  });
});

// Each proration mode on Alice's Basic → Pro upgrade, day 15 of 30, as the sandbox documents:
// prorated (and keep-cycle) $25, difference $50, full $80, do_not_bill $0. Each runs a second
// app whose merchant rules override the collection's upgrade mode.
const MODES: { mode: string; total: string; minor: number }[] = [
  { mode: "prorated_immediately_keep_cycle", total: "$25.00", minor: 2500 },
  { mode: "difference_immediately", total: "$50.00", minor: 5000 },
  { mode: "full_immediately", total: "$80.00", minor: 8000 },
  { mode: "do_not_bill", total: "$0.00", minor: 0 },
];

test.describe("every proration mode", () => {
  test.skip(process.env.E2E_SUITE === "smoke", "runs second apps; the full suite covers it");

  for (const { mode, total, minor } of MODES) {
    test(`${mode}: the dialog shows ${total} and the sandbox charges exactly that`, async ({ page, request }) => {
      const app = await startApp(demoRules(`[plan_change.families.overrides.upgrade]\nproration_billing_mode = "${mode}"\n`));
      try {
        const pc = new PlanChangePage(page);
        await pc.open(await demoLink(request, app.url, ALICE));
        await pc.choose("Pro");
        await expect(pc.total).toHaveText(total);
        await pc.openDialog();
        await expect(pc.dialog.getByTestId("total-due")).toHaveText(total);
        const button = minor > 0 ? `Pay ${total} now` : "Switch to Pro now";
        await pc.dialog.getByRole("button", { name: button }).click();
        await pc.waitForOutcome();
        await expect(page.getByTestId("status-title")).toHaveText("You are now on Pro");
        const sent = await changePlanRequests(request, app.sandboxUrl);
        expect(sent).toHaveLength(1);
        expect(sent[0].body.proration_billing_mode).toBe(mode);
        const payments = await sandboxPayments(request, app.sandboxUrl, ALICE);
        expect(payments.map((p) => p.total_amount)).toEqual(minor > 0 ? [minor] : []);
        expect((await sandboxSubscription(request, app.sandboxUrl, ALICE)).subscription.product_id).toBe("pdt_demo_pro");
      } finally {
        await app.stop();
      }
    });
  }

  test("apply_change with a declined card: the subscription is on hold and says how to recover", async ({
    page,
    request,
  }) => {
    const app = await startApp(demoRules(`[plan_change.families.overrides]\non_payment_failure = "apply_change"\n`));
    try {
      const pc = new PlanChangePage(page);
      const link = await demoLink(request, app.url, CAROL);
      await pc.open(link);
      await pc.choose("Pro");
      await pc.openDialog();
      await pc.confirm();
      await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "onhold", {
        timeout: 20_000,
      });
      await expect(page.getByTestId("status-title")).toHaveText("Your subscription is on hold");
      await expect(page.getByTestId("update-card")).toBeVisible();
      await expectNoAxeViolations(page, "on hold");
      const sent = await changePlanRequests(request, app.sandboxUrl);
      expect(sent[0].body.on_payment_failure).toBe("apply_change");
      expect((await sandboxSubscription(request, app.sandboxUrl, CAROL)).subscription.status).toBe("on_hold");
      // The plan page explains it too, and offers the way back (update-payment-method).
      await pc.open(link);
      await expect(page.getByTestId("on-hold-banner")).toBeVisible();
      await expect(page.getByTestId("no-alternatives")).toBeVisible();
      await expectNoAxeViolations(page, "on-hold page");
      await page.getByTestId("update-card").click();
      await expect(page.getByLabel("Card number")).toBeVisible();
    } catch (e) {
      console.log(app.logs());
      throw e;
    } finally {
      await app.stop();
    }
  });

  test("a downgrade now shows its credit (Pro → Starter, difference: +$60.00 credit)", async ({ page, request }) => {
    const app = await startApp(
      demoRules(`[plan_change.families.overrides.downgrade]\neffective_at = "immediately"\n`),
    );
    try {
      const pc = new PlanChangePage(page);
      const link = await demoLink(request, app.url, ALICE);
      await pc.open(link);
      await pc.choose("Pro");
      await pc.openDialog();
      await pc.confirm();
      await expect(page.getByTestId("status-title")).toHaveText("You are now on Pro");

      await pc.open(link);
      await pc.plan("Starter").check();
      // A Pro subscriber starting a downgrade is offered the yearly plan first.
      await expect(page.getByTestId("downsell")).toContainText("Keep Pro for less");
      await page.getByRole("button", { name: "No thanks, continue to Starter" }).click();
      await expect(page.getByTestId("downsell")).toHaveCount(0);
      await expect(pc.total).toHaveText("$0.00");
      await expect(page.getByTestId("preview-summary")).toHaveText(
        "Your plan changes to Starter right away and $60.00 of credit is added to your subscription.",
      );
      await pc.openDialog();
      await expect(pc.dialog.getByRole("heading")).toHaveText("Downgrade to Starter now");
      await expect(pc.dialog.getByTestId("credit")).toHaveText("+$60.00 credit");
      await expect(pc.dialog).toContainText("Credit added to your subscription");
      await expect(pc.dialog.getByTestId("credit-note")).toContainText(
        "$60.00 credit: your next 3 renewals of $20.00 are covered; you pay again on",
      );
      await expect(pc.dialog.getByTestId("next-bill")).toContainText(", paid from your credit");
      await expectNoAxeViolations(page, "downgrade dialog");
      await pc.dialog.getByRole("button", { name: "Switch to Starter now" }).click();
      await pc.waitForOutcome();
      await expect(page.getByTestId("status-title")).toHaveText("You are now on Starter");
      const state = await sandboxSubscription(request, app.sandboxUrl, ALICE);
      expect(state.subscription.product_id).toBe("pdt_demo_starter");
      expect(state.credit_balance).toBe(6000);
      const sent = await changePlanRequests(request, app.sandboxUrl);
      expect(sent.map((r) => [r.body.proration_billing_mode, r.body.effective_at])).toEqual([
        ["prorated_immediately", "immediately"],
        ["difference_immediately", "immediately"],
      ]);
    } catch (e) {
      console.log(app.logs());
      throw e;
    } finally {
      await app.stop();
    }
  });
});

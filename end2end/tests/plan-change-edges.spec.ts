// Plan changes at the edges (issue 18), against the embedded Dodo sandbox: Tara is on day 4 of
// a 14-day trial on Basic, Yuki pays Pro yearly, Alice is on Basic mid-cycle, Paula on Pro
// monthly. The demo collection schedules downgrades for the next billing date.
import { test, expect } from "@playwright/test";
import { SANDBOX_URL, collectErrors } from "./helpers";
import {
  PlanChangePage,
  changePlanRequests,
  demoLink,
  demoRules,
  resetSandbox,
  sandboxPayments,
  sandboxSubscription,
  startApp,
} from "./plan-change-app";

const TARA = "sub_demo_tara_basic_trial";
const YUKI = "sub_demo_yuki_pro_yearly";
const ALICE = "sub_demo_alice_basic";
const PAULA = "sub_demo_paula_pro";

test.describe("plan change edges", () => {
  test.beforeEach(async ({ request }) => {
    await resetSandbox(request, SANDBOX_URL);
  });

  test("a trialing subscriber sees both choices with their amounts and switches at the trial's end", async ({
    page,
    request,
    baseURL,
  }) => {
    const errors = collectErrors(page);
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, TARA));
    await expect(page.getByTestId("when-trial_end")).toBeChecked();
    await pc.choose("Pro");
    const choices = page.getByTestId("trial-choices");
    await expect(choices).toContainText(/Your free trial ends on \d+ \w+ \d{4}\./);
    await expect(choices.getByTestId("trial-option-trial_end")).toContainText(
      /Switch to Pro when your trial ends on \d+ \w+ \d{4}: nothing is charged today\./,
    );
    await expect(choices.getByTestId("trial-option-trial_end")).toHaveAttribute("data-chosen", "true");
    await expect(choices.getByTestId("trial-option-now")).toContainText(
      "Start Pro now: pay $80.00 today, your trial ends.",
    );
    await expect(pc.total).toHaveText("$0.00");
    await pc.openDialog();
    await expect(pc.dialog.getByRole("heading")).toHaveText(/^Switch to Pro when your trial ends on /);
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "scheduled");
    const state = await sandboxSubscription(request, SANDBOX_URL, TARA);
    expect(state.subscription.product_id).toBe("pdt_demo_basic");
    expect(state.subscription.scheduled_change?.product_id).toBe("pdt_demo_pro");
    expect(await sandboxPayments(request, SANDBOX_URL, TARA)).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  test("a trialing subscriber who starts now pays what the preview said and the trial ends", async ({
    page,
    request,
    baseURL,
  }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, TARA));
    await pc.choose("Pro");
    await page.getByTestId("when-now").check();
    await expect(page.getByTestId("trial-option-now")).toHaveAttribute("data-chosen", "true");
    await expect(pc.total).toHaveText("$80.00");
    await expect(page.getByTestId("preview-billing-moves")).toContainText("Your billing date moves to ");
    await expect(pc.continueButton).toBeEnabled();
    await pc.openDialog();
    await expect(pc.dialog.getByRole("heading")).toHaveText("Start Pro now");
    await expect(pc.dialog.getByTestId("consent")).toContainText("my trial ends now");
    await pc.dialog.getByRole("button", { name: "Pay $80.00 now" }).click();
    await pc.waitForOutcome();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "succeeded");
    const state = await sandboxSubscription(request, SANDBOX_URL, TARA);
    expect(state.subscription.product_id).toBe("pdt_demo_pro");
    const paid = await sandboxPayments(request, SANDBOX_URL, TARA);
    expect(paid.map((p) => [p.total_amount, p.status])).toEqual([[8000, "succeeded"]]);
    const sent = await changePlanRequests(request, SANDBOX_URL);
    expect(sent.map((r) => r.body.effective_at)).toEqual(["immediately"]);
  });

  test("yearly → monthly is shown and billed as a downgrade", async ({ page, request, baseURL }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, YUKI));
    await expect(page.getByTestId("card-pdt_demo_pro")).toContainText("Downgrade");
    await pc.choose("Pro");
    await expect(pc.total).toHaveText("$0.00");
    await pc.openDialog();
    await expect(pc.dialog.getByRole("heading")).toHaveText(/^Downgrade to Pro on \d+ \w+ \d{4}$/);
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "scheduled");
    const state = await sandboxSubscription(request, SANDBOX_URL, YUKI);
    expect(state.subscription.product_id).toBe("pdt_demo_pro_yearly");
    expect(state.subscription.scheduled_change?.product_id).toBe("pdt_demo_pro");
    expect(await sandboxPayments(request, SANDBOX_URL, YUKI)).toHaveLength(0);
  });

  test("the free plan is scheduled for the billing date, not refunded", async ({ page, request, baseURL }) => {
    const pc = new PlanChangePage(page);
    await pc.open(await demoLink(request, baseURL!, ALICE));
    await pc.choose("Free");
    await expect(pc.total).toHaveText("$0.00");
    await pc.openDialog();
    await expect(pc.dialog.getByRole("heading")).toHaveText(/^Downgrade to Free on \d+ \w+ \d{4}$/);
    await pc.confirm();
    await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "scheduled");
    const state = await sandboxSubscription(request, SANDBOX_URL, ALICE);
    expect(state.subscription.product_id).toBe("pdt_demo_basic");
    expect(state.subscription.scheduled_change?.product_id).toBe("pdt_demo_free");
    expect(state.credit_balance).toBe(0);
    expect(await sandboxPayments(request, SANDBOX_URL, ALICE)).toHaveLength(0);
  });

  test("a downgrade billed now shows its credit and the renewals it covers, before and after", async ({
    page,
    request,
  }) => {
    const app = await startApp(
      demoRules(
        `[plan_change.families.overrides.downgrade]\neffective_at = "immediately"\nproration_billing_mode = "difference_immediately"\n`,
      ),
    );
    try {
      const pc = new PlanChangePage(page);
      await pc.open(await demoLink(request, app.url, PAULA));
      await pc.choose("Starter");
      const covers = /\$60\.00 credit: your next 3 renewals of \$20\.00 are covered; you pay again on \d+ \w+ \d{4}\./;
      await expect(page.getByTestId("preview-credit-covers")).toHaveText(covers);
      await pc.openDialog();
      await expect(pc.dialog.getByTestId("credit")).toHaveText("+$60.00 credit");
      await expect(pc.dialog.getByTestId("credit-note")).toHaveText(covers);
      await pc.dialog.getByRole("button", { name: "Switch to Starter now" }).click();
      await pc.waitForOutcome();
      await expect(page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "succeeded");
      await expect(page.getByTestId("plan-change-status")).toContainText(covers);
      const state = await sandboxSubscription(request, app.sandboxUrl, PAULA);
      expect(state.subscription.product_id).toBe("pdt_demo_starter");
      expect(state.credit_balance).toBe(6000);
    } finally {
      await app.stop();
    }
  });
});

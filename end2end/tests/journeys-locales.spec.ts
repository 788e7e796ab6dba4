import { test, expect, type APIRequestContext, type Page } from "@playwright/test";
import { SANDBOX_URL, collectErrors, openHydrated } from "./helpers";
import { expectAccessible, expectOfferState, waitForHydration } from "./pages/offer";
import { payOnHostedCheckout, paymentsFor, uniqueEmail } from "./pages/sandbox";
import { PlanChangePage, demoLink, resetSandbox, sandboxPayments, sandboxSubscription } from "./plan-change-app";

// Issue 14: the offer journeys (accept, decline → downsell, don't show again) and the plan
// change (preview, confirm) in Indonesian and Hindi, with the amounts exactly as the server's
// CLDR formatter writes them (`\u00a0` is the no-break space CLDR puts between `Rp` and the
// digits). The demo business (merchant.toml, the sandbox's demo.toml):
// - hi: the INR course (₹3,999.00) offers a year of mentoring (₹1,25,000.00, Indian grouping);
//   "No thanks" leads to the code-review add-on (₹1,499.00);
// - id: the IDR course (Rp 749.000) offers the add-on (Rp 299.000, IDR without decimals);
//   "No thanks" leads to the workbook (Rp 99.000).
// The language is chosen with `?lang=` on the start page (its cookie then keeps it through
// Dodo's checkout); each test buys as a fresh customer, so no earlier decline or "don't show
// again" changes what it sees. The plan change runs for Alice in USD in both languages, and for
// Priya (INR) and Budi (IDR) in their own currencies and the language they prefer at Dodo.

const NBSP = "\u00a0";

const OFFERS = [
  {
    lang: "hi",
    course: "pdt_demo_course_inr",
    offer: { product: "pdt_demo_mentoring_inr", minor: 12_500_000, currency: "INR" },
    downsell: { product: "pdt_demo_addon_inr", minor: 149_900, currency: "INR" },
    buy: "₹3,999.00 में खरीदें",
    pay: "अभी ₹1,25,000.00 का भुगतान करें",
    headline: "एक साल तक मेंटर के साथ सीखें",
    paymentReceived: "भुगतान मिल गया",
    succeeded: "आपके ऑर्डर में जोड़ दिया गया",
    receipt: "एक साल की व्यक्तिगत मेंटरिंग (भारत): ₹1,25,000.00",
    noThanks: "नहीं, धन्यवाद",
    downsellPay: "अभी ₹1,499.00 का भुगतान करें",
    downsellHeadline: "इंस्ट्रक्टर के साथ तीन कोड समीक्षाएँ जोड़ें",
    suppressed: "हम आपको ऐसे ऑफ़र दोबारा नहीं दिखाएँगे",
    thanks: "धन्यवाद!",
  },
  {
    lang: "id",
    course: "pdt_demo_course_idr",
    offer: { product: "pdt_demo_addon_idr", minor: 29_900_000, currency: "IDR" },
    downsell: { product: "pdt_demo_downsell_idr", minor: 9_900_000, currency: "IDR" },
    buy: `Beli seharga Rp${NBSP}749.000`,
    pay: `Bayar Rp${NBSP}299.000 sekarang`,
    headline: "Tambahkan tiga tinjauan kode bersama instruktur",
    paymentReceived: "Pembayaran diterima",
    succeeded: "Ditambahkan ke pesanan Anda",
    receipt: `Add-on premium: sesi tinjauan kode (Indonesia): Rp${NBSP}299.000`,
    noThanks: "Tidak, terima kasih",
    downsellPay: `Bayar Rp${NBSP}99.000 sekarang`,
    downsellHeadline: "Ingin yang lebih ringan? Dapatkan Buku Latihan",
    suppressed: "Kami tidak akan menampilkan penawaran seperti ini lagi",
    thanks: "Terima kasih!",
  },
] as const;

/** The exact text of an element, no-break spaces and all (toHaveText normalises them). */
async function exactText(page: Page, testId: string) {
  return ((await page.getByTestId(testId).first().textContent()) ?? "").trim();
}

/** Buys `course` from the start page in `lang` and waits for the offer page, hydrated. */
async function buyInLocale(page: Page, lang: string, course: string, buyLabel: string, email: string) {
  await openHydrated(page, `/?lang=${lang}`);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  const button = page.locator(`[data-product="${course}"]`).getByRole("button");
  expect((await button.textContent())?.trim()).toBe(buyLabel);
  await button.click();
  await payOnHostedCheckout(page, email);
}

for (const c of OFFERS) {
  test.describe(`offer in ${c.lang}`, () => {
    test.beforeEach(async ({ request }) => {
      await resetSandbox(request, SANDBOX_URL);
    });

    test(`@smoke ${c.lang}: accept with one click, exactly one charge of the amount shown`, async ({ page, request }) => {
      const errors = collectErrors(page);
      const email = uniqueEmail(`accept-${c.lang}`);
      await buyInLocale(page, c.lang, c.course, c.buy, email);
      await expect(page).toHaveURL(/\/offer\/off_/);
      await waitForHydration(page);
      await expectOfferState(page, "open");
      await expect(page.locator("html")).toHaveAttribute("lang", c.lang);
      await expect(page.getByTestId("purchase-confirmed")).toContainText(c.paymentReceived);
      await expect(page.locator("#offer-headline")).toHaveText(c.headline);
      expect(await exactText(page, "accept")).toBe(c.pay);
      await expectAccessible(page, `open offer ${c.lang}`);

      await page.getByTestId("accept").click();
      await expectOfferState(page, "succeeded");
      await expect(page.getByTestId("succeeded")).toContainText(c.succeeded);
      expect(await exactText(page, "receipt")).toContain(c.receipt);
      await expectAccessible(page, `succeeded ${c.lang}`);
      const charges = await paymentsFor(request, email, c.offer.product);
      expect(charges.map((p) => [p.status, p.total_amount, p.currency])).toEqual([
        ["succeeded", c.offer.minor, c.offer.currency],
      ]);
      expect(errors).toEqual([]);
    });

    test(`${c.lang}: No thanks leads to the downsell, and No thanks again to the thank-you page`, async ({
      page,
      request,
    }) => {
      const email = uniqueEmail(`decline-${c.lang}`);
      await buyInLocale(page, c.lang, c.course, c.buy, email);
      await waitForHydration(page);
      await expect(page.getByTestId("decline")).toHaveText(c.noThanks);
      await page.getByTestId("decline").click();
      await expectOfferState(page, "open");
      await expect(page.locator("#offer-headline")).toHaveText(c.downsellHeadline);
      expect(await exactText(page, "accept")).toBe(c.downsellPay);
      await expectAccessible(page, `downsell ${c.lang}`);
      await waitForHydration(page);
      await page.getByTestId("decline").click();
      await expect(page).toHaveURL(/\/thanks$/);
      await expect(page.getByTestId("thanks")).toContainText(c.thanks);
      await expect(page.locator("html")).toHaveAttribute("lang", c.lang);
      await expectAccessible(page, `thanks ${c.lang}`);
      expect(await paymentsFor(request, email, c.offer.product)).toEqual([]);
      expect(await paymentsFor(request, email, c.downsell.product)).toEqual([]);
    });

    test(`${c.lang}: don't show again is said in ${c.lang} and honoured by the next purchase`, async ({
      page,
      request,
    }) => {
      const email = uniqueEmail(`suppress-${c.lang}`);
      await buyInLocale(page, c.lang, c.course, c.buy, email);
      await waitForHydration(page);
      await page.getByTestId("suppress").click();
      await expectOfferState(page, "suppressed");
      await expect(page.getByTestId("suppressed")).toContainText(c.suppressed);
      await expectAccessible(page, `suppressed ${c.lang}`);
      await buyInLocale(page, c.lang, c.course, c.buy, email);
      await expect(page).toHaveURL(/\/thanks$/);
      await expect(page.getByTestId("thanks")).toContainText(c.thanks);
      expect(await paymentsFor(request, email, c.offer.product)).toEqual([]);
    });
  });
}

/** Opens a plan-change link on a fresh sandbox, hydrated, and checks the page's language. */
async function openPlanChange(page: Page, request: APIRequestContext, link: string, lang: string) {
  await resetSandbox(request, SANDBOX_URL);
  const errors = collectErrors(page);
  await openHydrated(page, link);
  await expect(page.locator("html")).toHaveAttribute("lang", lang);
  return { pc: new PlanChangePage(page), errors };
}

/** The open dialog's figures and button, exactly as written (no-break spaces and all). */
async function expectDialogFigures(pc: PlanChangePage, c: { line: string; credit: string; total: string; pay: string }) {
  expect(await pc.dialog.getByTestId("line-amount").allTextContents()).toEqual([c.line]);
  expect((await pc.dialog.getByTestId("credit").textContent())?.trim()).toBe(c.credit);
  expect((await pc.dialog.getByTestId("total-due").textContent())?.trim()).toBe(c.total);
  expect((await pc.dialog.getByTestId("dialog-confirm").textContent())?.trim()).toBe(c.pay);
}

/** Confirms in the dialog; the status page says the change succeeded, in `title`'s words. */
async function confirmAndExpectSwitched(pc: PlanChangePage, title: string) {
  await pc.confirm();
  await expect(pc.page.getByTestId("plan-change-status")).toHaveAttribute("data-status", "succeeded");
  await expect(pc.page.getByTestId("status-title")).toHaveText(title);
}

/** Dodo charged the subscription exactly once, `minor` units, and it is now on `product`. */
async function expectChargedOnce(request: APIRequestContext, subscription: string, minor: number, product: string) {
  const payments = await sandboxPayments(request, SANDBOX_URL, subscription);
  expect(payments.map((p) => [p.status, p.total_amount])).toEqual([["succeeded", minor]]);
  expect((await sandboxSubscription(request, SANDBOX_URL, subscription)).subscription.product_id).toBe(product);
}

// Alice is on Basic ($30/month, USD) on day 15 of 30: an upgrade to Pro is $40.00 prorated
// less $15.00 credit, $25.00 due today — as an Indonesian or Hindi reader writes US dollars.
const ALICE = "sub_demo_alice_basic";
const PLAN_CHANGES = [
  {
    lang: "hi",
    title: "अपना प्लान बदलें",
    current: "मौजूदा प्लान",
    perMonth: "$30.00 प्रति माह",
    total: "$25.00",
    line: "$40.00",
    credit: "−$15.00 क्रेडिट",
    dialogTitle: "अभी Pro पर अपग्रेड करें",
    pay: "अभी $25.00 का भुगतान करें",
    success: "अब आप Pro पर हैं",
    gain: "हर महीने लाइव सवाल-जवाब",
    loss: "डाउनलोड की जा सकने वाली वर्कबुक",
    badge: "सबसे लोकप्रिय",
  },
  {
    lang: "id",
    title: "Ubah paket Anda",
    current: "Paket saat ini",
    perMonth: "US$30,00 per bulan",
    total: "US$25,00",
    line: "US$40,00",
    credit: "−US$15,00 kredit",
    dialogTitle: "Upgrade ke Pro sekarang",
    pay: "Bayar US$25,00 sekarang",
    success: "Anda sekarang memakai Pro",
    gain: "Tanya jawab langsung setiap bulan",
    loss: "Buku latihan yang dapat diunduh",
    badge: "Paling populer",
  },
] as const;

for (const c of PLAN_CHANGES) {
  test(`@smoke ${c.lang}: plan change previews and confirms an upgrade, charging exactly the amount shown`, async ({
    page,
    request,
    baseURL,
  }) => {
    const { pc, errors } = await openPlanChange(page, request, `${await demoLink(request, baseURL!, ALICE)}&lang=${c.lang}`, c.lang);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(c.title);
    await expect(page.getByTestId("card-pdt_demo_basic")).toContainText(c.current);
    await expect(page.getByTestId("card-pdt_demo_basic")).toContainText(c.perMonth);
    // The tiers' features and badge in merchant.toml's translation: what Pro adds, what
    // Starter takes away.
    await expect(page.getByTestId("card-pdt_demo_pro")).toContainText(c.gain);
    await expect(page.getByTestId("card-pdt_demo_pro")).toContainText(c.badge);
    await expect(page.getByTestId("card-pdt_demo_starter")).toContainText(c.loss);
    await expectAccessible(page, `plan comparison ${c.lang}`);

    await pc.choose("Pro");
    expect(await exactText(page, "preview-total")).toBe(c.total);
    await expectAccessible(page, `plan preview ${c.lang}`);

    await pc.openDialog();
    await expect(pc.dialog.getByRole("heading")).toHaveText(c.dialogTitle);
    await expectDialogFigures(pc, c);
    await expectAccessible(page, `plan dialog ${c.lang}`);

    await confirmAndExpectSwitched(pc, c.success);
    await expectAccessible(page, `plan changed ${c.lang}`);
    await expectChargedOnce(request, ALICE, 2500, "pdt_demo_pro");
    expect(errors).toEqual([]);
  });
}

// Priya (prefers Hindi at Dodo) is on Basic (India), ₹1,500/month, and Budi (prefers
// Indonesian) on Basic (Indonesia), Rp 150.000/month, both on day 15 of 30: an upgrade to Pro
// is half of Pro less half of Basic. No `?lang=`: the page follows `preferred_locale`.
const PLAN_CHANGES_IN_OWN_CURRENCY = [
  {
    lang: "hi",
    subscription: "sub_demo_priya_basic_inr",
    current: "pdt_demo_basic_inr",
    plan: "प्रो (भारत)",
    perMonth: "₹1,500.00 प्रति माह",
    line: "₹2,000.00",
    credit: "−₹750.00 क्रेडिट",
    total: "₹1,250.00",
    pay: "अभी ₹1,250.00 का भुगतान करें",
    success: "अब आप प्रो (भारत) पर हैं",
    minor: 125_000,
    product: "pdt_demo_pro_inr",
  },
  {
    lang: "id",
    subscription: "sub_demo_budi_basic_idr",
    current: "pdt_demo_basic_idr",
    plan: "Pro (Indonesia)",
    perMonth: `Rp${NBSP}150.000 per bulan`,
    line: `Rp${NBSP}200.000`,
    credit: `−Rp${NBSP}75.000 kredit`,
    total: `Rp${NBSP}125.000`,
    pay: `Bayar Rp${NBSP}125.000 sekarang`,
    success: "Anda sekarang memakai Pro (Indonesia)",
    minor: 12_500_000,
    product: "pdt_demo_pro_idr",
  },
] as const;

for (const c of PLAN_CHANGES_IN_OWN_CURRENCY) {
  test(`${c.lang}: a plan change in the customer's currency shows and charges exactly ${c.total}`, async ({
    page,
    request,
    baseURL,
  }) => {
    const { pc, errors } = await openPlanChange(page, request, await demoLink(request, baseURL!, c.subscription), c.lang);
    const current = page.getByTestId(`card-${c.current}`);
    // Server-rendered, so read at once; exact, as toContainText would normalise the NBSP.
    expect((await current.textContent()) ?? "").toContain(c.perMonth);

    await pc.choose(c.plan);
    expect(await exactText(page, "preview-total")).toBe(c.total);

    await pc.openDialog();
    await expectDialogFigures(pc, c);
    await expectAccessible(page, `plan dialog ${c.lang}, own currency`);

    await confirmAndExpectSwitched(pc, c.success);
    await expectChargedOnce(request, c.subscription, c.minor, c.product);
    expect(errors).toEqual([]);
  });
}

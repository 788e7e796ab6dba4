import { test, expect } from "@playwright/test";
import { mintLink } from "./pages/links";
import { expectAccessible } from "./pages/offer";

// Issue 14: a customer's preferred_locale at Dodo picks the page's language, the switcher's
// plain links change it (keeping the link's token), and each language is axe-clean.

test("@smoke Priya's cross-sell link opens in Hindi, and the switcher goes to English and Indonesian", async ({
  page,
  request,
}) => {
  const { url } = await mintLink(request, { audience: "cross-sell", customer_id: "cus_demo_priya" });
  const path = new URL(url).pathname + new URL(url).search;
  await page.goto(path);
  await expect(page.locator("html")).toHaveAttribute("lang", "hi");
  await expect(page.locator("html")).toHaveAttribute("dir", "ltr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("आपके लिए सुझाव");
  await expectAccessible(page, "cross-sell hi");

  const switcher = page.getByRole("navigation", { name: "भाषा" });
  await switcher.getByRole("link", { name: "English" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/token=.*&lang=en$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Recommended for you");

  await page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Bahasa Indonesia" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Rekomendasi untuk Anda");
  await expectAccessible(page, "cross-sell id");
});

test("@smoke Budi's link opens in Indonesian, and a chosen language is kept by the cookie", async ({
  page,
  request,
}) => {
  const { url } = await mintLink(request, { audience: "cross-sell", customer_id: "cus_demo_budi" });
  const path = new URL(url).pathname + new URL(url).search;
  await page.goto(path);
  await expect(page.locator("html")).toHaveAttribute("lang", "id");
  await page.getByRole("link", { name: "हिन्दी" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "hi");
  // The same link again, without ?lang=: the cookie keeps the choice over Dodo's preference.
  await page.goto(path);
  await expect(page.locator("html")).toHaveAttribute("lang", "hi");
});

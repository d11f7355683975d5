import { expect, type Page, test } from "@playwright/test";
import { ensureSmallFleet } from "./fixtures/placement-fleet";
import { signInAs, type DemoRole } from "./fixtures/sign-in";

/**
 * Every page of every role, each loaded with a hard navigation (a fresh document, so the
 * server render is hydrated in the browser): any uncaught page error or console error —
 * a hydration mismatch (#418), a 404 favicon, a failed request — fails the test.
 */
const PAGES: Record<DemoRole, readonly string[]> = {
  user: ["/environments", "/environments/new", "/account"],
  support: ["/environments", "/placement", "/admin/tenants", "/admin/hosts", "/admin/compliance", "/admin/audit", "/account"],
  admin: [
    "/environments",
    "/environments/new",
    "/placement",
    "/admin/tenants",
    "/admin/zones",
    "/admin/hosts",
    "/admin/policies",
    "/admin/compliance",
    "/admin/audit",
    "/admin/settings",
    "/account",
  ],
};

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`${page.url()} page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${page.url()} console error: ${m.text()} ${JSON.stringify(m.location())}`);
  });
  return errors;
}

/** A hard load, then time for hydration and the first client queries to settle. */
async function hardLoad(page: Page, path: string) {
  await page.goto(path, { waitUntil: "load" });
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.waitForLoadState("networkidle");
}

test.beforeAll(async () => {
  await ensureSmallFleet();
});

for (const role of Object.keys(PAGES) as DemoRole[]) {
  test(`every page a ${role} can open loads without a page or console error`, async ({ page }) => {
    test.setTimeout(90_000);
    await signInAs(page, role);
    const errors = collectErrors(page);
    for (const path of PAGES[role]) await hardLoad(page, path);
    // Detail pages: the first environment and (for staff) the first tenant in the lists.
    await hardLoad(page, "/environments");
    const envHref = await page.locator('main a[href^="/environments/c"]').first().getAttribute("href");
    if (envHref) await hardLoad(page, envHref);
    if (role !== "user") {
      await hardLoad(page, "/admin/tenants");
      const tenantHref = await page.locator('main a[href^="/admin/tenants/"]').first().getAttribute("href");
      expect(tenantHref, "a tenant link").toBeTruthy();
      await hardLoad(page, tenantHref!);
    }
    expect(errors).toEqual([]);
  });
}

test("the sign-in and sign-up pages load without a page or console error, and the favicon exists", async ({ page }) => {
  const errors = collectErrors(page);
  await hardLoad(page, "/sign-in");
  // Headless Chromium never asks for the icon, so the test does.
  const icon = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(icon, "a linked icon").toBeTruthy();
  expect((await page.request.get(icon!)).status()).toBe(200);
  await hardLoad(page, "/sign-up");
  expect(errors).toEqual([]);
});

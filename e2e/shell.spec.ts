import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "@/prisma/demo-data";
import { mainNav, signInAs, signOut, type DemoRole } from "./fixtures/sign-in";

const ALL_LINKS = ["Environments", "Placement", "Tenants", "Zones", "Hosts", "Policies", "Compliance", "Audit", "Settings"] as const;

const VISIBLE: Record<DemoRole, readonly string[]> = {
  user: ["Environments"],
  support: ["Environments", "Placement", "Tenants", "Hosts", "Compliance", "Audit"],
  admin: ALL_LINKS,
};

for (const role of Object.keys(VISIBLE) as DemoRole[]) {
  test(`${role} sees exactly their navigation, and signing out returns to sign-in`, async ({ page }) => {
    await signInAs(page, role);
    const nav = mainNav(page);
    for (const name of ALL_LINKS) {
      const link = nav.getByRole("link", { name, exact: true });
      if (VISIBLE[role].includes(name)) await expect(link, `${name} link`).toBeVisible();
      else await expect(link, `${name} link`).toHaveCount(0);
    }
    await expect(nav.getByRole("link")).toHaveCount(VISIBLE[role].length);
    await expect(nav.getByRole("link", { name: "Environments" })).toHaveAttribute("aria-current", "page");

    await signOut(page, role);
    await expect(page.getByRole("heading", { name: "Sign in to Statehouse" })).toBeVisible();
  });
}

test("the user menu shows name, email, role and tenant memberships", async ({ page }) => {
  await signInAs(page, "user");
  await page.getByRole("button", { name: `Account menu for ${DEMO_USERS.user.name}` }).click();
  const menu = page.getByRole("menu");
  await expect(menu.getByText(DEMO_USERS.user.email)).toBeVisible();
  await expect(menu.getByText("User", { exact: true })).toBeVisible();
  await expect(menu.getByText("Acme", { exact: true })).toBeVisible();
  await expect(menu.getByText("Owner", { exact: true })).toBeVisible();
});

test("a wrong password is rejected with an alert and stays on sign-in", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO_USERS.admin.email);
  await page.getByLabel("Password").fill(`${DEMO_PASSWORD}-wrong`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("empty and malformed emails are caught before submitting", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Enter your email address." })).toBeVisible();
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("x");
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Enter a valid email address" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a user opening an admin page sees the forbidden state", async ({ page }) => {
  await signInAs(page, "user");
  await page.goto("/admin/zones");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("support opening an admin-only page sees the forbidden state", async ({ page }) => {
  await signInAs(page, "support");
  await page.goto("/admin/policies");
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
});

test("an admin can open every admin list", async ({ page }) => {
  await signInAs(page, "admin");
  for (const name of ["Tenants", "Zones", "Hosts", "Policies", "Audit", "Settings"] as const) {
    await mainNav(page).getByRole("link", { name, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: /could not|went wrong/i })).toHaveCount(0);
  }
});

test("visiting a signed-in page while signed out redirects to sign-in", async ({ page }) => {
  await page.goto("/environments");
  await expect(page).toHaveURL(/\/sign-in(\?.*)?$/);
  await expect(page.getByLabel("Email")).toBeVisible();
});

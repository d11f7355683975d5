import { expect, test } from "@playwright/test";
import { DEMO_USERS } from "@/prisma/demo-data";
import { holdSignupSetting, type SignupSettingHold } from "./fixtures/signup-setting";

// These tests need sign-up on; the admin spec turns it off for a moment (see the fixture).
let hold: SignupSettingHold;
test.beforeEach(async () => {
  hold = await holdSignupSetting("shared");
});
test.afterEach(async () => {
  await hold.release();
});

test("Try it: sign up, land signed in with a personal tenant", async ({ page }) => {
  const email = `new-${Date.now()}-${test.info().workerIndex}@example.com`;
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Try it: create an account" }).click();
  await expect(page.getByRole("heading", { name: "Try Statehouse" })).toBeVisible();
  await page.getByLabel("Name").fill("Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByLabel("Password").press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Use at least 12 characters." })).toBeVisible();
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/environments$/, { timeout: 30_000 });
  await page.getByRole("button", { name: "Account menu for Newcomer" }).click();
  await expect(page.getByRole("menu").getByText("Newcomer's space")).toBeVisible();
});

test("signing up with a taken email shows the error on the email field", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Copycat");
  await page.getByLabel("Email").fill(DEMO_USERS.admin.email);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already exists" })).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/sign-up$/);
});

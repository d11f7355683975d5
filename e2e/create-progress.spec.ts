import { expect, test } from "@playwright/test";
import { holdSignupSetting, type SignupSettingHold } from "./fixtures/signup-setting";

// This server runs no controller, so a new environment stays at its first step:
// the page must show that step live, in place of the form, with its time so far.
// (e2e/environments.spec.ts follows one to "writable" on a real fleet.)
let hold: SignupSettingHold;
test.beforeEach(async () => {
  hold = await holdSignupSetting("shared");
});
test.afterEach(async () => {
  await hold.release();
});

test("after Create, the page shows live progress in place: placing (ticking), then the steps still to come", async ({ page }) => {
  test.setTimeout(90_000);
  const email = `progress-${Date.now().toString(36)}-${test.info().workerIndex}@example.com`;
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Petra Progress");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-enough-password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/environments$/, { timeout: 30_000 });

  await page.goto("/environments/new");
  await page.getByLabel("Name").fill("dev");
  await expect(page.getByTestId("create-preview")).toContainText("Allowed by every policy rule");
  await page.getByRole("button", { name: "Create environment" }).click();

  const progress = page.getByRole("list", { name: "Creation progress" });
  await expect(progress).toBeVisible();
  await expect(page).toHaveURL(/\/environments\/new$/);
  await expect(page.getByRole("status").filter({ hasText: "Creating dev" })).toBeVisible();
  await expect(progress.getByRole("listitem")).toHaveText([/^Placing/, /^Starting members/, /^Electing a leader/, /^Writable/]);
  await expect(page.getByTestId("progress-placing")).toHaveAttribute("data-state", "active");
  for (const step of ["starting", "electing", "writable"])
    await expect(page.getByTestId(`progress-${step}`)).toHaveAttribute("data-state", "pending");
  // Live: the time so far changes without a reload.
  const time = page.getByTestId("progress-placing-time");
  await expect(time).toHaveText(/ so far$/);
  const first = await time.textContent();
  await expect(time).not.toHaveText(first!);
  await expect(page.getByTestId("secret-value")).toHaveText(/^env_/);
});

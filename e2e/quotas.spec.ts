import { expect, type Page, test } from "@playwright/test";
import { ensureSmallFleet } from "./fixtures/placement-fleet";
import { signInAs } from "./fixtures/sign-in";
import { holdSignupSetting, type SignupSettingHold } from "./fixtures/signup-setting";
import { environmentCounts, type StageCounts } from "./fixtures/tenant-counts";

const STAGES = ["development", "staging", "production"] as const;

async function expectCardMatches(page: Page, tenantName: string, counts: () => Promise<StageCounts>) {
  const card = page.getByRole("region", { name: `Quota of ${tenantName}` });
  await expect(async () => {
    const real = await counts();
    for (const stage of STAGES)
      await expect(card.getByTestId(`quota-${stage}`)).toHaveText(new RegExp(`^${real[stage]} / \\d+$`), { timeout: 1 });
  }).toPass({ timeout: 20_000 });
}

test.beforeAll(async () => {
  await ensureSmallFleet();
});

test("the quota card counts the environments a tenant really has (seeded ones included)", async ({ page }) => {
  test.setTimeout(60_000);
  const acme = await environmentCounts({ slug: "acme" });
  expect(acme.development + acme.staging + acme.production, "the fleet seeds Acme environments").toBeGreaterThan(0);
  await signInAs(page, "user");
  await expectCardMatches(page, "Acme", () => environmentCounts({ slug: "acme" }));
});

let hold: SignupSettingHold;
test.describe("a newcomer's free tier", () => {
  test.beforeEach(async () => {
    hold = await holdSignupSetting("shared");
  });
  test.afterEach(async () => {
    await hold.release();
  });

  test("counts a created environment, then refuses the next production one in one sentence saying who can raise the quota", async ({
    page,
  }) => {
    test.setTimeout(90_000);
    const email = `quota-${Date.now().toString(36)}-${test.info().workerIndex}@example.com`;
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Quinn Quota");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("a-long-enough-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/environments$/, { timeout: 30_000 });
    const tenantName = "Quinn Quota's space";
    const counts = () => environmentCounts({ ownerEmail: email });
    await expectCardMatches(page, tenantName, counts);

    // The free tier allows one production environment: create it.
    await page.goto("/environments/new");
    await page.getByLabel("Name").fill("prod");
    await page.getByLabel("Stage").selectOption("production");
    await expect(page.getByTestId("create-preview")).toContainText("Allowed by every policy rule");
    await page.getByRole("button", { name: "Create environment" }).click();
    await expect(page.getByText(/prod is being created|Creating prod/)).toBeVisible({ timeout: 20_000 });
    await page.goto("/environments");
    await expectCardMatches(page, tenantName, counts);
    expect((await counts()).production).toBe(1);
    await expect(page.getByRole("region", { name: `Quota of ${tenantName}` }).getByTestId("quota-full")).toContainText(
      "production environments (1 of 1); a platform administrator can raise the quota",
    );

    // A second one: the preview says what is over and who can raise it, and Create is off.
    await page.goto("/environments/new");
    await page.getByLabel("Name").fill("prod-two");
    await page.getByLabel("Stage").selectOption("production");
    const refusal = page.getByTestId("quota-refusal");
    await expect(refusal).toHaveText(
      `${tenantName} already has 1 of its 1 production environments; a platform administrator can raise the quota, or you can remove an environment you no longer need.`,
    );
    await expect(page.getByTestId("create-preview")).not.toContainText("Allowed by every policy rule");
    await expect(page.getByRole("button", { name: "Create environment" })).toBeDisabled();
  });
});

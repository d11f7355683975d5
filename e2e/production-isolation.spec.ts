import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures/sign-in";

const RULE = "production-apart-from-other-tenants";

test("an admin relaxes the built-in production-isolation rule and switches it back on; both changes are audited by name", async ({
  page,
}) => {
  await signInAs(page, "admin");
  await page.goto("/admin/policies");
  const row = page.getByRole("row").filter({ hasText: RULE });
  await expect(row).toContainText("Built-in (on by default)");
  const toggle = row.getByRole("button", { name: "Enabled" });
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  // The self-hosting rule stays locked: a badge, no switch.
  const locked = page.getByRole("row").filter({ hasText: "never-host-on-served-environment" });
  await expect(locked).toContainText("Built-in (always on)");
  await expect(locked.getByRole("button")).toHaveCount(0);

  await toggle.click();
  await expect(page.getByText(`${RULE} disabled`)).toBeVisible();
  await expect(row.getByRole("button", { name: "Disabled" })).toHaveAttribute("aria-pressed", "false");
  await row.getByRole("button", { name: "Disabled" }).click();
  await expect(page.getByText(`${RULE} enabled`)).toBeVisible();
  await expect(row.getByRole("button", { name: "Enabled" })).toHaveAttribute("aria-pressed", "true");

  await page.goto("/admin/audit");
  const table = page.getByRole("table", { name: "Audit events" });
  await expect(table.getByRole("row").filter({ hasText: "policy.update" }).filter({ hasText: RULE })).toHaveCount(2);
});

import { expect, type Page, test } from "@playwright/test";
import { DEMO_USERS } from "@/prisma/demo-data";
import { mainNav, signInAs, signOut } from "./fixtures/sign-in";
import { holdSignupSetting } from "./fixtures/signup-setting";

const run = Date.now().toString(36).slice(-5);

async function trpcQuery<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  expect(res.ok(), `${path}: ${res.status()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

test("an admin sets up a tenant, quota, zone grant and a min-HA rule; the tenant's user is refused a 1-replica production environment naming the rule", async ({
  page,
}) => {
  // Two people (the admin sets up, the tenant's owner accepts an invitation and is refused): two sign-ins.
  test.setTimeout(120_000);
  const slug = `umbrella-${run}`;
  const email = `ursula-${run}@umbrella.test`;
  const password = "umbrella-password-1";
  const ruleName = `prod-min-3-${run}`;

  await signInAs(page, "admin");
  await mainNav(page).getByRole("link", { name: "Tenants", exact: true }).click();
  await page.getByRole("button", { name: "New tenant" }).click();
  const dialog = page.getByRole("dialog", { name: "New tenant" });
  await dialog.getByLabel("Name").fill("Umbrella");
  // Validation as you type: a bad slug is flagged before submitting.
  await dialog.getByLabel("Slug").fill("Not A Slug");
  await expect(dialog.getByRole("alert").filter({ hasText: "lowercase letters" })).toBeVisible();
  await dialog.getByLabel("Slug").fill(slug);
  await expect(dialog.getByRole("alert").filter({ hasText: "lowercase letters" })).toHaveCount(0);
  await dialog.getByLabel("Production environments").fill("4");
  await dialog.getByLabel(/shared-east/).check();
  await dialog.getByRole("button", { name: "Create tenant" }).click();

  await expect(page).toHaveURL(/\/admin\/tenants\/[^/]+$/);
  const tenantId = page.url().split("/").at(-1)!;
  await expect(page.getByRole("heading", { name: "Umbrella" })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Production environments" })).toHaveAttribute("aria-valuemax", "4");
  await expect(page.getByRole("list", { name: "Granted zones" })).toContainText("shared-east");

  const addMember = page.getByRole("form", { name: "Add member" });
  await addMember.getByLabel("Member email").fill(email);
  await addMember.getByLabel("Role").selectOption("member");
  // An invitation, not a silent add: the same answer whether or not the email has an account.
  await addMember.getByRole("button", { name: "Invite member" }).click();
  await expect(page.getByText(`Invitation sent to ${email}`)).toBeVisible();

  await mainNav(page).getByRole("link", { name: "Policies", exact: true }).click();
  await page.getByRole("button", { name: "New rule" }).click();
  const ruleDialog = page.getByRole("dialog", { name: "New policy rule" });
  await ruleDialog.getByLabel("Rule name").fill(ruleName);
  await ruleDialog.getByLabel("Kind").selectOption("min_ha");
  await ruleDialog.getByLabel("Stage").selectOption("production");
  await ruleDialog.getByLabel("Minimum replicas").selectOption("3");
  await ruleDialog.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByRole("cell", { name: new RegExp(ruleName) })).toBeVisible();

  const zones = await trpcQuery<{ items: { id: string; name: string }[] }>(page, "zone.list", { limit: 100 });
  const zoneId = zones.items.find((z) => z.name === "shared-east")!.id;
  await signOut(page, "admin");

  // The invitee signs up, signs in, accepts the invitation, and asks for a 1-replica production environment.
  const signup = await holdSignupSetting("shared");
  try {
    const signedUp = await page.request.post("/api/trpc/account.signUp", { data: { json: { name: "Ursula Umbrella", email, password } } });
    expect(signedUp.status()).toBe(200);
  } finally {
    await signup.release();
  }
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Password").press("Enter");
  await expect(page).toHaveURL(/\/environments$/);
  await page.goto("/account");
  await page.getByRole("button", { name: "Accept the invitation to Umbrella" }).click();
  await expect(page.getByText("Invitation accepted")).toBeVisible();
  const refused = await page.request.post("/api/trpc/environment.create", {
    data: { json: { tenantId, name: "shop", stage: "production", haLevel: 1, zoneId } },
  });
  expect(refused.status()).toBe(422);
  const error = ((await refused.json()) as { error: { json: { message: string; data: { appCode: string; field: string } } } }).error.json;
  expect(error.data.appCode).toBe("POLICY_VIOLATION");
  expect(error.data.field).toBe(ruleName);
  expect(error.message).toContain(ruleName);

  // Three replicas comply with the rule.
  const allowed = await page.request.post("/api/trpc/environment.create", {
    data: { json: { tenantId, name: "shop", stage: "production", haLevel: 3, zoneId } },
  });
  expect(allowed.status()).toBe(200);

  // Leave the shared e2e database as other specs expect it: the global rule goes again.
  await page.goto("/environments");
  await page.getByRole("button", { name: "Account menu for Ursula Umbrella" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await signInAs(page, "admin");
  await page.goto("/admin/policies");
  const row = page.getByRole("row").filter({ hasText: ruleName });
  await row.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete rule" }).click();
  await expect(page.getByRole("cell", { name: new RegExp(ruleName) })).toHaveCount(0);
});

test("support reads the admin pages but gets no controls to change them", async ({ page }) => {
  await signInAs(page, "support");
  await mainNav(page).getByRole("link", { name: "Compliance", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Compliance" })).toBeVisible();
  await mainNav(page).getByRole("link", { name: "Hosts", exact: true }).click();
  await expect(page.getByRole("button", { name: "Register a host" })).toHaveCount(0);
  await mainNav(page).getByRole("link", { name: "Audit", exact: true }).click();
  await page.getByLabel("Actor").fill(DEMO_USERS.admin.email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByRole("button", { name: "Verify hash chain" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Chain intact" })).toBeVisible();
  const csv = await page.request.get("/api/audit/export?action=demo.");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect(await csv.text()).toContain("demo.seed");
});

test("an admin edits sign-up settings with validation as you type and server errors inline; turning sign-up off closes /sign-up", async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const hold = await holdSignupSetting("exclusive");
  try {
    await signInAs(page, "admin");
    await mainNav(page).getByRole("link", { name: "Settings", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    const form = page.getByRole("form", { name: "Sign-up settings" });
    await expect(form.getByLabel("Allow sign-up")).toBeChecked();

    // Validation as you type, before anything is sent.
    const dev = form.getByLabel("Development environments");
    const devBefore = await dev.inputValue();
    await dev.fill("-1");
    await expect(form.getByRole("alert").filter({ hasText: "0 or more" })).toBeVisible();
    await expect(dev).toHaveAttribute("aria-invalid", "true");
    await dev.fill(devBefore);
    await expect(form.getByRole("alert").filter({ hasText: "0 or more" })).toHaveCount(0);
    const zones = form.getByLabel("Free-tier zones");
    const zonesBefore = await zones.inputValue();
    await zones.fill("Shared East");
    await expect(form.getByRole("alert").filter({ hasText: "lowercase letters, digits and dashes" })).toBeVisible();

    // A well-formed name of no zone: only the server knows, and its error lands on the field.
    await zones.fill(`${zonesBefore}, no-such-zone-${run}`);
    await form.getByRole("button", { name: "Save sign-up settings" }).click();
    await expect(form.getByRole("alert").filter({ hasText: `no security zone is named "no-such-zone-${run}"` })).toBeVisible();
    await expect(zones).toHaveAttribute("aria-invalid", "true");
    await zones.fill(zonesBefore);
    await expect(zones).toHaveAttribute("aria-invalid", "false");

    // Sign-up off: a visitor's /sign-up says so.
    await form.getByLabel("Allow sign-up").uncheck();
    await form.getByRole("button", { name: "Save sign-up settings" }).click();
    await expect(page.getByText("Sign-up settings saved: sign-up is off")).toBeVisible();
    const visitor = await browser.newContext();
    const visit = await visitor.newPage();
    await visit.goto("/sign-up");
    await expect(visit.getByText("Sign-up is turned off")).toBeVisible();
    await expect(visit.getByRole("button", { name: "Create account" })).toHaveCount(0);

    // And on again: the form is back.
    await expect(form.getByLabel("Allow sign-up")).not.toBeChecked();
    await form.getByLabel("Allow sign-up").check();
    await form.getByRole("button", { name: "Save sign-up settings" }).click();
    await expect(page.getByText("Sign-up settings saved: sign-up is on")).toBeVisible();
    await visit.reload();
    await expect(visit.getByRole("button", { name: "Create account" })).toBeVisible();
    await visitor.close();
  } finally {
    await hold.forceSignupOn();
    await hold.release();
  }
});

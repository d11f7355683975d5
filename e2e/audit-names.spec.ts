import { expect, type Page, test } from "@playwright/test";
import { signInAs } from "./fixtures/sign-in";

const run = Date.now().toString(36).slice(-6);

async function mutate(page: Page, procedure: string, input: unknown) {
  const res = await page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  expect(res.ok(), `${procedure}: ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: Record<string, unknown> } } }).result.data.json;
}

test("the audit log names zones, rules and invitations, each a link, not an id", async ({ page }) => {
  test.setTimeout(60_000);
  await signInAs(page, "admin");
  const zoneName = `audit-zone-${run}`;
  const ruleName = `audit-rule-${run}`;
  const zone = await mutate(page, "zone.create", { name: zoneName, purpose: "workload", isolation: "shared", description: "" });
  await mutate(page, "policy.create", {
    name: ruleName,
    kind: "min_ha",
    params: { stage: "staging", minReplicas: 1 },
    enabled: false,
    description: "",
  });
  const tenants = await page.request.get(`/api/trpc/tenant.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 100 } }))}`);
  const globex = (
    (await tenants.json()) as { result: { data: { json: { items: { id: string; slug: string }[] } } } }
  ).result.data.json.items.find((t) => t.slug === "globex")!;
  const email = `audit-${run}@example.com`;
  await mutate(page, "tenant.addMember", {
    tenantId: globex.id,
    email,
    role: "viewer",
  });

  await page.goto("/admin/audit");
  const table = page.getByRole("table", { name: "Audit events" });
  const zoneLink = table.getByRole("link", { name: zoneName, exact: true }).first();
  await expect(zoneLink).toBeVisible();
  await expect(zoneLink).toHaveAttribute("href", "/admin/zones");
  await expect(table.getByRole("link", { name: ruleName, exact: true }).first()).toHaveAttribute("href", "/admin/policies");
  const member = table.getByRole("link", { name: `invitation for ${email}` }).first();
  await expect(member).toHaveAttribute("href", `/admin/tenants/${globex.id}`);
  // The zone's id appears nowhere as text.
  await expect(table).not.toContainText(String(zone.id));
});

import { expect, test, type Page } from "@playwright/test";
import { drainableHost, ensureSmallFleet, type FleetFacts } from "./fixtures/placement-fleet";
import { signInAs } from "./fixtures/sign-in";

let fleet: FleetFacts;

test.beforeAll(async () => {
  fleet = await ensureSmallFleet();
});

async function openMap(page: Page, query = "") {
  await page.goto(`/placement${query}`);
  await expect(page.getByRole("heading", { level: 1, name: "Placement" })).toBeVisible();
  await expect(page.getByTestId("placement-canvas")).toHaveAttribute("data-painted", "true");
}

test("support filters the map to one tenant's environment, opens a host and reads why a replica is there", async ({ page }) => {
  await signInAs(page, "support");
  await openMap(page);
  await expect(page.getByRole("img", { name: /Placement map: 40 hosts/ })).toBeVisible();

  await page.getByLabel("Search tenants, environments, state servers, hosts").fill(fleet.envKey);
  await page
    .getByRole("list", { name: "Search results" })
    .getByRole("button", { name: `Environment ${fleet.envKey}` })
    .click();
  await expect(
    page.getByRole("group", { name: "Active filters" }).getByRole("button", { name: `Remove filter Environment: ${fleet.envKey}` }),
  ).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`env=${encodeURIComponent(fleet.envKey).replace(/%2F/i, "(%2F|/)")}`));
  await expect(page.getByRole("img", { name: /selection: [\d,]+ replicas? on [\d,]+ hosts?/ })).toBeVisible();

  // The selection survives a reload: the URL is the link a support person pastes.
  await page.reload();
  await expect(page.getByRole("button", { name: `Remove filter Environment: ${fleet.envKey}` })).toBeVisible();

  const hosts = page.getByRole("region", { name: "Hosts in the selection" });
  await hosts.getByRole("button", { name: fleet.host, exact: true }).click();
  const drawer = page.getByRole("dialog", { name: `Host ${fleet.host}` });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByText("Last heartbeat:")).toBeVisible();
  await expect(drawer.getByRole("meter", { name: "CPU use" })).toBeVisible();
  await expect(drawer.getByText(`environment ${fleet.envKey}`).first()).toBeVisible();

  await drawer.getByRole("button", { name: `Why here? ${fleet.server}#${fleet.ordinal}` }).click();
  const why = drawer.getByRole("region", { name: `Why ${fleet.server} #${fleet.ordinal} is on ${fleet.host}` });
  await expect(why).toBeVisible();
  await expect(why.getByText(new RegExp(`Placed on ${fleet.host} scores`))).toBeVisible();
  await expect(why.getByRole("table").first()).toContainText("domain-spread");
  await expect(why).toContainText(/hosts could take it/);
  await expect(page).toHaveURL(/replica=/);
});

const replicaCount = async (page: Page) => {
  const label = (await page.getByTestId("placement-canvas").getAttribute("aria-label")) ?? "";
  return Number(/, (\d+) replicas/.exec(label)?.[1] ?? NaN);
};
const MOVE = /^(.+) #(\d+): (.+) → (.+)$/;

test("admin previews a drain and applies it, and the map shows the moved replicas", async ({ page, browser }) => {
  // Two people (support watching, admin draining): two sign-ins and two map loads before the drain itself.
  test.setTimeout(120_000);
  const host = await drainableHost(fleet.host);
  // Support watches the whole map in another browser: it must change without a reload.
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await signInAs(watcher, "support");
  await openMap(watcher);

  await signInAs(page, "admin");
  // The drawer is modal (the page behind it leaves the accessibility tree), so no page heading here.
  await page.goto(`/placement?open=${encodeURIComponent(host)}`);
  const drawer = page.getByRole("dialog", { name: `Host ${host}` });
  await expect(drawer).toBeVisible();
  await expect(page.getByTestId("placement-canvas")).toHaveAttribute("data-painted", "true");
  const replicasBefore = await replicaCount(page);
  expect(replicasBefore).toBeGreaterThan(0);
  const summary = page.getByTestId("fleet-summary");
  const draining = Number(/(\d+) draining/.exec((await summary.textContent()) ?? "")?.[1] ?? 0);

  await drawer.getByRole("button", { name: "Preview drain" }).click();
  const preview = drawer.getByRole("region", { name: "Drain preview" });
  await expect(preview).toContainText(/replicas move in \d+ waves/);
  const moves = (await preview.getByRole("listitem").allTextContents()).flatMap((text) => {
    const m = MOVE.exec(text.trim());
    return m ? [{ server: m[1]!, ordinal: Number(m[2]), from: m[3]!, to: m[4]! }] : [];
  });
  expect(moves.length).toBeGreaterThan(0);
  expect(moves.every((m) => m.from === host && m.to !== host)).toBe(true);

  await preview.getByRole("button", { name: `Drain ${host}` }).click();
  await expect(page.getByText(`${host} is now draining: ${moves.length} replicas moving`)).toBeVisible();
  await expect(drawer.getByText("Draining", { exact: true })).toBeVisible();
  // What was applied is what was previewed.
  const result = drawer.getByRole("region", { name: "Drain result" });
  for (const m of moves) await expect(result).toContainText(`${m.server} #${m.ordinal} → ${m.to}`);

  // No controller runs in this fleet: the moved replicas are on their targets at once (scheduled),
  // while the drained host keeps its own until their replacements run.
  await expect(page.getByTestId("placement-canvas")).toHaveAttribute(
    "aria-label",
    new RegExp(`, ${replicasBefore + moves.length} replicas`),
  );
  await expect(summary).toContainText(`${draining + 1} draining`);
  await expect(watcher.getByTestId("placement-canvas")).toHaveAttribute(
    "aria-label",
    new RegExp(`, ${replicasBefore + moves.length} replicas`),
    { timeout: 15_000 },
  );
  await watcherContext.close();

  const first = moves[0]!;
  await result
    .getByRole("button", { name: `Open ${first.to}` })
    .first()
    .click();
  const target = page.getByRole("dialog", { name: `Host ${first.to}` });
  await expect(target).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`open=${encodeURIComponent(first.to)}`));
  const moved = target
    .getByRole("region", { name: "Replicas on this host" })
    .getByRole("listitem")
    .filter({ hasText: `${first.server} #${first.ordinal}` });
  await expect(moved).toHaveCount(1);
  await expect(moved.getByText("Scheduled", { exact: true })).toBeVisible();
  await expect(target.getByRole("region", { name: "Recent placement events" })).toContainText(
    `drained ${first.server} #${first.ordinal} from ${host} to ${first.to}`,
  );
  await target.getByRole("button", { name: "Close" }).click();

  // The history timeline: one drained event per moved replica, from the drained host, by the admin.
  await page.getByRole("tab", { name: "History" }).click();
  await page.getByLabel("Event", { exact: true }).selectOption("drained");
  const events = page.getByRole("list", { name: "Placement events, newest first" });
  for (const m of moves) {
    const item = events.getByRole("listitem").filter({ hasText: `drained ${m.server} #${m.ordinal} from ${host} to ${m.to}` });
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(`drain of ${host} — by admin@statehouse.local`);
  }
});

test("support sees quorum risk, runs a what-if and exports the selection", async ({ page }) => {
  await signInAs(page, "support");
  await openMap(page, "?panel=risk");
  await expect(page.getByLabel("State servers at risk")).toContainText(/would lose quorum|No state server would lose quorum/);

  await page.getByRole("tab", { name: "What if" }).click();
  await page.getByLabel("Lose").selectOption("fd");
  await page.getByLabel("Failure domain").selectOption("az-1");
  await page.getByRole("button", { name: "Show what would happen" }).click();
  await expect(page.getByRole("region", { name: "What-if result" })).toContainText(
    /Losing failure domain az-1: \d+ replicas would move, \d+ could not be placed/,
  );
  await expect(page).toHaveURL(/whatif=fd(%3A|:)az-1/);

  const csv = await page.request.get(`/api/placement/export?format=csv&env=${encodeURIComponent(fleet.envKey)}`);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe("zone,failure_domain,host,host_state,state_server,ordinal,replica_state,stage,tenants,environments");
  expect(text).toContain(fleet.server);
  const json = (await (await page.request.get(`/api/placement/export?format=json&server=${fleet.server}`)).json()) as {
    count: number;
    replicas: { state_server: string }[];
  };
  expect(json.count).toBeGreaterThan(0);
  expect(json.replicas.every((r) => r.state_server === fleet.server)).toBe(true);
});

test("searching a host and pressing Enter zooms the map to it and opens it", async ({ page }) => {
  await signInAs(page, "support");
  await openMap(page);
  const canvas = page.getByTestId("placement-canvas");
  await expect(canvas).not.toHaveAttribute("data-focused-host", /./);
  const search = page.getByLabel("Search tenants, environments, state servers, hosts");
  await search.fill(fleet.host);
  await expect(page.getByRole("list", { name: "Search results" }).getByRole("button", { name: `Host ${fleet.host}` })).toBeVisible();
  await search.press("Enter");
  await expect(canvas).toHaveAttribute("data-focused-host", fleet.host);
  await expect(page).toHaveURL(new RegExp(`open=${encodeURIComponent(fleet.host)}`));
  await expect(page.getByRole("dialog", { name: `Host ${fleet.host}` })).toBeVisible();
  await expect(search).toHaveValue("");
});

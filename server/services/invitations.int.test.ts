/**
 * Finding 1 of the outside probe: `tenant.addMember` added an existing user by
 * email at once (no consent) and answered with their id and name, while an
 * unknown email got a different answer (an account-enumeration oracle). Now it
 * invites: one answer for every email, and the invitee joins by accepting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EXTRA_USERS, DEMO_USERS } from "../../prisma/demo-data";
import { createTestDatabase, type TestDatabase } from "../testing/db";
import { callerAs, failure } from "../testing/callers";
import { createMatrixWorld, type Caller, type Fx, type Role } from "../testing/procedure-matrix";

let t: TestDatabase;
let fx: Fx;
let callers: Map<Role, Caller>;

beforeAll(async () => {
  t = await createTestDatabase();
  ({ fx, callers } = await createMatrixWorld(t.db));
});
afterAll(() => t.drop());

const shape = (answer: object) => Object.keys(answer).sort();

describe("adding a member by email invites them", () => {
  it("answers the same whether or not the email has an account, and adds nobody", async () => {
    const alice = callers.get("acmeOwner")!;
    const existing = await alice.tenant.addMember({ tenantId: fx.acme.tenantId, email: DEMO_EXTRA_USERS[2].email, role: "member" });
    const unknown = await alice.tenant.addMember({ tenantId: fx.acme.tenantId, email: "nobody-here@x.test", role: "member" });
    expect(shape(existing)).toEqual(shape(unknown));
    expect(existing).not.toHaveProperty("userId");
    expect(existing).not.toHaveProperty("name");
    expect({ ...existing, invitationId: "", email: "", expiresAt: null }).toEqual({
      ...unknown,
      invitationId: "",
      email: "",
      expiresAt: null,
    });
    const gina = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_EXTRA_USERS[2].email } });
    expect(await t.db.membership.findFirst({ where: { tenantId: fx.acme.tenantId, userId: gina.id } })).toBeNull();
    expect(await t.db.user.findUnique({ where: { email: "nobody-here@x.test" } })).toBeNull();
    expect((await alice.tenant.invitations({ tenantId: fx.acme.tenantId })).map((i) => i.email).sort()).toEqual(
      [DEMO_EXTRA_USERS[2].email, "nobody-here@x.test"].sort(),
    );
  });

  it("the invitee accepts after signing in; nobody else can answer it", async () => {
    const alice = callers.get("acmeOwner")!;
    const { invitationId } = await alice.tenant.addMember({ tenantId: fx.acme.tenantId, email: DEMO_USERS.support.email, role: "viewer" });
    const support = callers.get("support")!;
    expect((await support.account.invitations()).map((i) => i.id)).toContain(invitationId);
    // Someone else's invitation is NOT_FOUND, exactly as an unknown id.
    const foreign = await failure(callers.get("acmeMember")!.account.acceptInvitation({ invitationId }));
    const missing = await failure(callers.get("acmeMember")!.account.acceptInvitation({ invitationId: "c".repeat(25) }));
    expect({ code: foreign.code, message: foreign.message }).toEqual({ code: missing.code, message: missing.message });
    expect(await callers.get("acmeMember")!.account.invitations()).toEqual([]);

    expect(await support.account.acceptInvitation({ invitationId })).toEqual({ tenantId: fx.acme.tenantId, accepted: true });
    const sam = await t.db.user.findUniqueOrThrow({ where: { email: DEMO_USERS.support.email } });
    expect(await t.db.membership.findFirst({ where: { tenantId: fx.acme.tenantId, userId: sam.id } })).toMatchObject({ role: "viewer" });
    expect((await failure(support.account.acceptInvitation({ invitationId }))).code).toBe("NOT_FOUND");
  });

  it("an email without an account sees its invitation once it signs up; declined and revoked ones are gone", async () => {
    const alice = callers.get("acmeOwner")!;
    const first = await alice.tenant.addMember({ tenantId: fx.acme.tenantId, email: "later@x.test", role: "member" });
    await callers.get("anonymous")!.account.signUp({ name: "Later", email: "later@x.test", password: "a long enough passphrase" });
    const later = await callerAs(t.db, "later@x.test");
    expect((await later.account.invitations()).map((i) => [i.id, i.tenant.name, i.role])).toEqual([[first.invitationId, "Acme", "member"]]);
    await later.account.declineInvitation({ invitationId: first.invitationId });
    expect(await later.account.invitations()).toEqual([]);

    const second = await alice.tenant.addMember({ tenantId: fx.acme.tenantId, email: "later@x.test", role: "viewer" });
    await alice.tenant.revokeInvitation({ tenantId: fx.acme.tenantId, invitationId: second.invitationId });
    expect((await failure(later.account.acceptInvitation({ invitationId: second.invitationId }))).code).toBe("NOT_FOUND");
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "later@x.test" } });
    expect(await t.db.membership.findFirst({ where: { userId: user.id, tenantId: fx.acme.tenantId } })).toBeNull();
  });
});

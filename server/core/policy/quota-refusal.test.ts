import { expect, it } from "vitest";
import { firstOverLine, quotaFullSentence, quotaRefusalSentence } from "./quota-refusal";

it("names the count that is full, the tenant, and who can raise it, in one sentence", () => {
  const sentence = quotaRefusalSentence("Acme", { what: "production environments", used: 2, adds: 1, max: 2 });
  expect(sentence).toBe(
    "Acme already has 2 of its 2 production environments; a platform administrator can raise the quota, or you can remove an environment you no longer need.",
  );
  expect(sentence.match(/[.;]\s/g)?.filter((m) => m.startsWith(".")) ?? []).toEqual([]);
});

it("says how much of a resource is left when a footprint does not fit", () => {
  expect(quotaRefusalSentence("Acme", { what: "replicas", used: 13, adds: 3, max: 15 })).toMatch(
    /^This needs 3 replicas but Acme has 2 of its 15 left; a platform administrator can raise the quota/,
  );
  expect(quotaRefusalSentence("Acme", { what: "replicas", used: 17, adds: 3, max: 15 })).toContain("has 0 of its 15 left");
});

it("finds the first line the request would push over its limit", () => {
  const lines = [
    { what: "staging environments", used: 1, adds: 1, max: 3 },
    { what: "replicas", used: 14, adds: 3, max: 15 },
    { what: "cpu (millicores)", used: 9000, adds: 1500, max: 8000 },
  ];
  expect(firstOverLine(lines)?.what).toBe("replicas");
  expect(firstOverLine(lines.slice(0, 1))).toBeUndefined();
});

it("a quota card names every limit reached in one sentence, or says nothing", () => {
  expect(quotaFullSentence("Acme", [])).toBeNull();
  expect(
    quotaFullSentence("Acme", [
      { what: "production environments", used: 2, max: 2 },
      { what: "replicas", used: 15, max: 15 },
    ]),
  ).toBe(
    "Acme has reached its limit for production environments (2 of 2) and replicas (15 of 15); a platform administrator can raise the quota, or you can remove an environment you no longer need.",
  );
});

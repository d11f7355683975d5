import { describe, expect, it } from "vitest";
import { UpdateSettingsInput } from "@/server/contracts/account";
import { signupSettingsFormValues, ZSignupSettingsForm } from "./signup-settings-schema";

const stored = {
  signupEnabled: true,
  freeTierZones: ["shared-east", "edge-1"],
  freeDevelopmentEnvs: 2,
  freeStagingEnvs: 1,
  freeProductionEnvs: 1,
  freeReplicas: 6,
  freeCpuMillis: 4000,
  freeMemoryMiB: 4096,
};

describe("ZSignupSettingsForm", () => {
  it("round-trips the stored settings into input the server accepts", () => {
    const parsed = ZSignupSettingsForm.parse(signupSettingsFormValues(stored));
    expect(parsed).toEqual(stored);
    expect(UpdateSettingsInput.parse(parsed)).toEqual(stored);
  });

  it("splits, trims and de-duplicates zone names; an empty list grants no zone", () => {
    expect(ZSignupSettingsForm.parse({ ...signupSettingsFormValues(stored), freeTierZones: " a-1 ,b,, a-1 " }).freeTierZones).toEqual([
      "a-1",
      "b",
    ]);
    expect(ZSignupSettingsForm.parse({ ...signupSettingsFormValues(stored), freeTierZones: "  " }).freeTierZones).toEqual([]);
  });

  it.each([
    ["freeTierZones", "Shared East", "zone names: lowercase letters, digits and dashes, separated by commas"],
    ["freeDevelopmentEnvs", -1, "0 or more"],
    ["freeReplicas", 1.5, "a whole number"],
    ["freeReplicas", Number.NaN, "enter a number"],
    ["freeStagingEnvs", 10_001, "at most 10,000"],
  ] as const)("names the field: %s = %s", (key, value, message) => {
    const result = ZSignupSettingsForm.safeParse({ ...signupSettingsFormValues(stored), [key]: value });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: [key], message });
  });
});

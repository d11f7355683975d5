"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { Field, ZodForm } from "@/components/admin/field";
import { useZodForm } from "@/components/admin/use-zod-form";
import { useTRPC } from "@/components/providers/trpc";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { pageInput } from "@/components/ui/cursor-pagination";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { QueryErrorAlert } from "@/components/ui/query-error-alert";
import { Skeleton } from "@/components/ui/skeleton";
import { FREE_TIER_FIELDS, signupSettingsFormValues, type SignupSettingsFormInput, ZSignupSettingsForm } from "./signup-settings-schema";

/** Sign-up settings (admins): whether "Try it" sign-up is open, and the free tier a new personal tenant gets. */
export function SignupSettingsCard() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.account.settings.queryOptions());
  return (
    <Card className="max-w-2xl">
      <CardHeader>
        <CardTitle asChild>
          <h2>Sign-up</h2>
        </CardTitle>
        <CardDescription>
          Anyone can create an account at /sign-up while sign-up is on; the account gets a personal tenant with this free tier. Existing
          tenants keep their quotas when it changes.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {settings.isPending ? <Skeleton className="h-72" /> : null}
        {settings.isError ? <QueryErrorAlert error={settings.error} onRetry={() => void settings.refetch()} /> : null}
        {settings.data ? (
          <SignupSettingsForm key={settings.data.updatedAt.toISOString()} initial={signupSettingsFormValues(settings.data)} />
        ) : null}
      </CardContent>
    </Card>
  );
}

function SignupSettingsForm({ initial }: { initial: SignupSettingsFormInput }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useZodForm(ZSignupSettingsForm, initial);
  const zones = useQuery(trpc.zone.list.queryOptions(pageInput(null, 100)));
  const update = useMutation(
    trpc.account.updateSettings.mutationOptions({
      onSuccess: async (saved) => {
        toast.success(`Sign-up settings saved: sign-up is ${saved.signupEnabled ? "on" : "off"}`);
        // The new row remounts the form (keyed by updatedAt) with the saved values.
        await queryClient.invalidateQueries({ queryKey: trpc.account.settings.queryKey() });
      },
      onError: form.fail,
    }),
  );
  const values = form.values as SignupSettingsFormInput;
  const numberValue = (v: number) => (Number.isNaN(v) ? "" : String(v));
  const knownZones = zones.data?.items.map((z) => z.name);

  return (
    <ZodForm form={form} aria-label="Sign-up settings" className="flex flex-col gap-5" onValid={(data) => update.mutate(data)}>
      <div className="flex items-start gap-3">
        <input
          id="signup-enabled"
          type="checkbox"
          className="mt-1 size-4"
          checked={values.signupEnabled}
          onChange={(e) => form.set("signupEnabled", e.target.checked)}
          aria-describedby="signup-enabled-hint"
        />
        <div className="flex flex-col gap-0.5">
          <Label htmlFor="signup-enabled">Allow sign-up</Label>
          <p id="signup-enabled-hint" className="text-xs text-muted-foreground">
            {values.signupEnabled
              ? "Anyone can create an account."
              : "The sign-up page says sign-up is turned off; administrators add users to tenants."}
          </p>
        </div>
      </div>
      <Field
        label="Free-tier zones"
        error={form.errors.freeTierZones}
        hint={`Zone names, separated by commas; a new tenant is granted these.${knownZones ? ` Zones: ${knownZones.join(", ") || "none yet"}.` : ""}`}
      >
        {(p) => (
          <Input
            {...p}
            value={values.freeTierZones}
            onChange={(e) => form.set("freeTierZones", e.target.value)}
            placeholder="shared-east"
          />
        )}
      </Field>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 text-sm font-medium">Free-tier quota</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          {FREE_TIER_FIELDS.map((f) => (
            <Field key={f.key} label={f.label} error={form.errors[f.key]}>
              {(p) => (
                <Input
                  {...p}
                  type="number"
                  inputMode="numeric"
                  min={0}
                  max={f.max}
                  value={numberValue(values[f.key])}
                  onChange={(e) => form.set(f.key, e.target.value === "" ? Number.NaN : Number(e.target.value))}
                />
              )}
            </Field>
          ))}
        </div>
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" disabled={update.isPending}>
          Save sign-up settings
        </Button>
        <Button type="button" variant="outline" disabled={update.isPending} onClick={() => form.reset(initial)}>
          Reset
        </Button>
      </div>
    </ZodForm>
  );
}

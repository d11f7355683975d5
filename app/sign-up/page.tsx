import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { getQueryClient, trpc } from "@/server/api/rsc";
import { getSession } from "@/server/auth/session";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Try Statehouse" };

export default async function SignUpPage() {
  if (await getSession()) redirect("/environments");
  const enabled = await getQueryClient().fetchQuery(trpc.account.signUpEnabled.queryOptions());
  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4 py-12">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle asChild>
            <h1>Try Statehouse</h1>
          </CardTitle>
          <CardDescription>
            An account comes with a personal tenant and a free tier: staging and production environments without a state server of your own.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {enabled ? (
            <SignUpForm />
          ) : (
            <EmptyState title="Sign-up is turned off" description="Ask an administrator of this installation for an account." />
          )}
          <p className="text-center text-sm text-muted-foreground">
            Already have an account?{" "}
            <Link prefetch={false} href="/sign-in" className="font-medium text-foreground underline underline-offset-4">
              Sign in
            </Link>
          </p>
        </CardContent>
      </Card>
    </main>
  );
}

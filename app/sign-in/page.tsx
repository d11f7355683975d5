import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getSession } from "@/server/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = { searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }> };

const first = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

export default async function SignInPage({ searchParams }: SignInPageProps) {
  if (await getSession()) redirect("/environments");
  // next-auth redirects here with ?error=... when a sign-in fails outside this form.
  const { callbackUrl, error } = await searchParams;

  return (
    <main className="flex min-h-dvh items-center justify-center bg-muted/40 px-4 py-12">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle asChild>
            <h1>Sign in to Statehouse</h1>
          </CardTitle>
          <CardDescription>Use the email and password your administrator gave you.</CardDescription>
        </CardHeader>
        <CardContent>
          <SignInForm callbackUrl={first(callbackUrl)} initialError={first(error)} />
          <p className="mt-4 text-center text-sm text-muted-foreground">
            New here?{" "}
            <Link prefetch={false} href="/sign-up" className="font-medium text-foreground underline underline-offset-4">
              Try it: create an account
            </Link>
          </p>
        </CardContent>
      </Card>
    </main>
  );
}

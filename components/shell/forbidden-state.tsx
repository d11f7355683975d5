import { ShieldXIcon } from "lucide-react";
import Link from "next/link";
import type { PlatformRole } from "@/server/auth/types";
import { Button } from "@/components/ui/button";
import { PLATFORM_ROLE_LABEL } from "./role-labels";

export function ForbiddenState({ role }: { role: PlatformRole }) {
  return (
    <section aria-labelledby="forbidden-title" className="mx-auto flex max-w-lg flex-col items-center gap-3 py-16 text-center">
      <div className="rounded-full bg-destructive/10 p-3 text-destructive" aria-hidden="true">
        <ShieldXIcon className="size-7" />
      </div>
      <h1 id="forbidden-title" className="text-xl font-semibold">
        You do not have access to this page
      </h1>
      <p className="text-sm text-muted-foreground">
        Your platform role ({PLATFORM_ROLE_LABEL[role]}) cannot open this page. If you need it, ask a Statehouse administrator.
      </p>
      <Button asChild variant="outline" className="mt-2">
        <Link prefetch={false} href="/environments">
          Back to your environments
        </Link>
      </Button>
    </section>
  );
}

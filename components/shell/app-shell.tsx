import Link from "next/link";
import type { ReactNode } from "react";
import type { AppSession } from "@/server/auth/types";
import { MobileNav } from "./mobile-nav";
import { SidebarNav } from "./sidebar-nav";
import { UserMenu } from "./user-menu";

type AppShellProps = { user: AppSession["user"]; children: ReactNode };

export function AppShell({ user, children }: AppShellProps) {
  return (
    <div className="min-h-dvh md:grid md:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:ring-2 focus:ring-ring"
      >
        Skip to main content
      </a>
      <aside className="hidden border-r bg-muted/30 md:flex md:flex-col md:gap-6 md:p-4">
        <Brand />
        <SidebarNav role={user.platformRole} />
      </aside>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-40 flex h-14 items-center gap-2 border-b bg-background/95 px-4 backdrop-blur">
          <MobileNav role={user.platformRole} />
          <div className="md:hidden">
            <Brand />
          </div>
          <div className="ml-auto">
            <UserMenu user={user} />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="flex-1 px-4 py-6 outline-none sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}

function Brand() {
  return (
    <Link
      prefetch={false}
      href="/environments"
      className="flex items-center gap-2 rounded-md px-3 py-1 text-base font-semibold tracking-tight outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <span aria-hidden="true" className="size-5 rounded bg-primary" />
      Statehouse
    </Link>
  );
}

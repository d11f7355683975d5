"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { PlatformRole } from "@/server/auth/types";
import { cn } from "@/components/ui/cn";
import { NAV_ICONS } from "./nav-icons";
import { isActive, navItemsFor } from "./nav-items";

type SidebarNavProps = { role: PlatformRole; onNavigate?: () => void };

export function SidebarNav({ role, onNavigate }: SidebarNavProps) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-col gap-5">
      {navItemsFor(role).map((group, index) => {
        const headingId = group.label ? `nav-group-${index}` : undefined;
        return (
          <div key={group.label ?? index} className="flex flex-col gap-1">
            {group.label ? (
              <h2 id={headingId} className="px-3 text-xs font-semibold tracking-wide text-muted-foreground uppercase">
                {group.label}
              </h2>
            ) : null}
            <ul aria-labelledby={headingId} className="flex flex-col gap-0.5">
              {group.items.map((item) => {
                const Icon = NAV_ICONS[item.href];
                const active = isActive(item.href, pathname);
                return (
                  <li key={item.href}>
                    {/* No prefetch: every page is rendered per request, and prefetching each nav
                        item on every load cost ~8 server renders of pages nobody opened. */}
                    <Link
                      prefetch={false}
                      href={item.href}
                      onClick={onNavigate}
                      aria-current={active ? "page" : undefined}
                      className={cn(
                        "flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium outline-none transition-colors",
                        "hover:bg-accent hover:text-accent-foreground focus-visible:ring-2 focus-visible:ring-ring",
                        active ? "bg-accent text-accent-foreground" : "text-muted-foreground",
                      )}
                    >
                      <Icon className="size-4 shrink-0" aria-hidden="true" />
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

"use client";

import { ChevronDownIcon, KeyRoundIcon, LogOutIcon } from "lucide-react";
import Link from "next/link";
import { signOut } from "next-auth/react";
import type { AppSession } from "@/server/auth/types";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuGroup,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { initials } from "./initials";
import { PLATFORM_ROLE_LABEL, TENANT_ROLE_LABEL } from "./role-labels";

type UserMenuProps = { user: AppSession["user"] };

export function UserMenu({ user }: UserMenuProps) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="h-10 gap-2 px-2" aria-label={`Account menu for ${user.name}`}>
          <span
            aria-hidden="true"
            className="flex size-7 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground"
          >
            {initials(user.name)}
          </span>
          <span className="hidden text-sm font-medium sm:inline">{user.name}</span>
          <ChevronDownIcon aria-hidden="true" className="text-muted-foreground" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-72">
        <DropdownMenuLabel className="flex flex-col gap-1">
          <span className="font-medium">{user.name}</span>
          <span className="truncate text-xs font-normal text-muted-foreground">{user.email}</span>
          <Badge variant="secondary" className="mt-1">
            {PLATFORM_ROLE_LABEL[user.platformRole]}
          </Badge>
        </DropdownMenuLabel>
        {user.memberships.length > 0 ? (
          <>
            <DropdownMenuSeparator />
            <DropdownMenuGroup aria-label="Tenant memberships">
              <DropdownMenuLabel className="text-xs font-semibold text-muted-foreground">Tenants</DropdownMenuLabel>
              <ul className="px-2 pb-1">
                {user.memberships.map((m) => (
                  <li key={m.tenantId} className="flex items-center justify-between gap-2 py-1 text-sm">
                    <span className="truncate" title={m.tenantSlug}>
                      {m.tenantName}
                    </span>
                    <Badge variant="outline">{TENANT_ROLE_LABEL[m.role]}</Badge>
                  </li>
                ))}
              </ul>
            </DropdownMenuGroup>
          </>
        ) : null}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link prefetch={false} href="/account">
            <KeyRoundIcon aria-hidden="true" />
            API tokens
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: "/sign-in" })}>
          <LogOutIcon aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

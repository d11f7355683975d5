"use client";

import { MenuIcon } from "lucide-react";
import { useState } from "react";
import type { PlatformRole } from "@/server/auth/types";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { SidebarNav } from "./sidebar-nav";

/** Below the md breakpoint the sidebar is hidden; the same nav opens in a drawer. */
export function MobileNav({ role }: { role: PlatformRole }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
          <MenuIcon aria-hidden="true" />
        </Button>
      </DialogTrigger>
      <DialogContent className="top-0 left-0 h-dvh max-w-72 translate-x-0 translate-y-0 content-start rounded-none border-r p-4 sm:max-w-72">
        <DialogTitle className="px-3 text-base">Statehouse</DialogTitle>
        <DialogDescription className="sr-only">Site navigation</DialogDescription>
        <SidebarNav role={role} onNavigate={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

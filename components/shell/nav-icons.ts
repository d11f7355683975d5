import {
  Building2Icon,
  HistoryIcon,
  ListChecksIcon,
  LayersIcon,
  NetworkIcon,
  ScrollTextIcon,
  ServerIcon,
  SettingsIcon,
  ShieldCheckIcon,
  type LucideIcon,
} from "lucide-react";
import type { NavHref } from "./nav-items";

export const NAV_ICONS: Record<NavHref, LucideIcon> = {
  "/environments": LayersIcon,
  "/placement": NetworkIcon,
  "/admin/tenants": Building2Icon,
  "/admin/zones": ShieldCheckIcon,
  "/admin/hosts": ServerIcon,
  "/admin/policies": ScrollTextIcon,
  "/admin/compliance": ListChecksIcon,
  "/admin/audit": HistoryIcon,
  "/admin/settings": SettingsIcon,
};

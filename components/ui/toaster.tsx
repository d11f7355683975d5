"use client";

import { Toaster as Sonner, type ToasterProps } from "sonner";

/** Mounted once in the root layout; call `toast(...)` from "sonner" anywhere. */
export function Toaster(props: ToasterProps) {
  return (
    <Sonner
      theme="system"
      position="bottom-right"
      closeButton
      richColors
      toastOptions={{ classNames: { toast: "font-sans" } }}
      {...props}
    />
  );
}

import { DownloadIcon } from "lucide-react";

/** A PEM file the browser saves under `fileName` (built in the page: nothing is fetched again). */
export function PemDownload({ pem, fileName, label }: { pem: string; fileName: string; label: string }) {
  return (
    <a
      href={`data:application/x-pem-file;charset=utf-8,${encodeURIComponent(pem)}`}
      download={fileName}
      className="inline-flex h-8 shrink-0 items-center gap-1.5 rounded-md border px-3 text-sm font-medium hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
    >
      <DownloadIcon aria-hidden="true" className="size-4" />
      {label}
    </a>
  );
}

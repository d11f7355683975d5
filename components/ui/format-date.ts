/**
 * Fixed format and time zone: lists render on the server and hydrate in the browser,
 * and a locale- or zone-dependent string would differ between the two.
 */
export function formatDateTime(value: Date | null | undefined): string {
  if (!value) return "—";
  return `${value.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function formatDate(value: Date | null | undefined): string {
  if (!value) return "—";
  return value.toISOString().slice(0, 10);
}

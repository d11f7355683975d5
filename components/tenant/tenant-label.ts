/**
 * How a tenant is named in a picker: many tenants share a display name (every
 * sign-up gets "<Name>'s space"), the slug is what tells them apart.
 */
export function tenantLabel(t: { name: string; slug?: string | null }): string {
  return t.slug && t.slug !== t.name ? `${t.name} (${t.slug})` : t.name;
}

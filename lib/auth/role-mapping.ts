import type { OidcConfig } from '@/lib/config';
import type { Grant } from '@/lib/model/access';

/**
 * The grants a signed-in person has: every value of the configured claim
 * (`groups` by default; a string or a list) looked up in the role map.
 * Values the map does not name give nothing, so a person in none of the mapped
 * groups signs in but may see nothing, and is told so.
 */
export function grantsFromClaims(
  claims: Record<string, unknown>,
  { rolesClaim, roleMap }: Pick<OidcConfig, 'rolesClaim' | 'roleMap'>,
): Grant[] {
  const raw = claims[rolesClaim];
  const values = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const grants: Grant[] = [];
  for (const value of values) {
    if (typeof value !== 'string') continue;
    // Keycloak sends full group paths ("/signalbox-admins") when asked to; match either form.
    const mapped = roleMap[value] ?? roleMap[value.replace(/^\//, '')];
    if (mapped) grants.push(...mapped);
  }
  return grants;
}

/** The name a person is shown and audited by: name, else username, else e-mail, else subject. */
export function displayName(claims: Record<string, unknown>): string {
  for (const key of ['name', 'preferred_username', 'email', 'sub']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 120);
  }
  return 'unknown';
}

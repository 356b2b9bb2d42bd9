/*
 * Who may do what: four roles, each including the one before, and grants that
 * give a role on all of Signalbox or only on some systems and destinations.
 * Identity providers, API tokens and the no-sign-in mode all end up as a list
 * of grants; lib/auth/principal.ts decides a request with them.
 */

/** In order: each role may do everything the one before it may. */
export const ROLES = ['viewer', 'reader', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const roleAtLeast = (have: Role, need: Role): boolean => ROLES.indexOf(have) >= ROLES.indexOf(need);

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/**
 * A role, on everything or limited. `systems` (broker systems, e.g. `rabbitmq`)
 * and `destinations` (glob patterns, `*` matching any run of characters, e.g.
 * `payments.*`) are each null when not limited; a resource must pass both.
 */
export interface Grant {
  role: Role;
  systems: string[] | null;
  destinations: string[] | null;
}

/** A queue, topic or stream an action is about. */
export interface Resource {
  system: string;
  destination: string;
}

const globCache = new Map<string, RegExp>();

/** `payments.*` matches `payments.dlq`; everything else in the pattern is literal. */
export function destinationMatches(pattern: string, destination: string): boolean {
  let regex = globCache.get(pattern);
  if (!regex) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`);
    globCache.set(pattern, regex);
  }
  return regex.test(destination);
}

/** Whether a grant's limits let it act on the resource (any resource when none is named). */
export function grantCovers(grant: Grant, resource?: Resource): boolean {
  if (!resource) return true;
  if (grant.systems && !grant.systems.includes(resource.system)) return false;
  if (grant.destinations && !grant.destinations.some((p) => destinationMatches(p, resource.destination)))
    return false;
  return true;
}

/** The grant's reach in words: "operator on payments.* (rabbitmq)". */
export function describeGrant(grant: Grant): string {
  const where = [
    grant.destinations ? grant.destinations.join(', ') : null,
    grant.systems ? `(${grant.systems.join(', ')})` : null,
  ].filter(Boolean);
  return where.length ? `${grant.role} on ${where.join(' ')}` : grant.role;
}

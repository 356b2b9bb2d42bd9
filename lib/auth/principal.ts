import type { Actor } from '@/lib/audit/audit-entry';
import {
  type Grant,
  type Resource,
  type Role,
  describeGrant,
  grantCovers,
  roleAtLeast,
} from '@/lib/model/access';
import { AccessError } from './access-error';

/*
 * Who is asking, as the server established it, and the one decision every
 * page, route and server action makes with it: may this identity do this, here?
 */

export type PrincipalKind = 'local' | 'operator-token' | 'session' | 'api-token';

export interface Principal {
  kind: PrincipalKind;
  /** Shown in the header and the audit log. */
  name: string;
  /** The IdP's subject for a signed-in person. */
  subject: string | null;
  /** The identity provider for a person; what vouched for the others. */
  idp: string;
  /** The API token's id. */
  tokenId: string | null;
  grants: Grant[];
}

/** What a request wants to do; each needs a role (lib/model/access.ts says what each adds). */
export type Action = 'view' | 'read' | 'change' | 'administer';

export const ACTION_ROLE: Record<Action, Role> = {
  view: 'viewer',
  read: 'reader',
  change: 'operator',
  administer: 'admin',
};

const ACTION_WORDS: Record<Action, string> = {
  view: 'see this page',
  read: 'read message payloads and attributes',
  change: 'replay, delete or purge dead letters',
  administer: 'manage API tokens, export the audit log or take backups',
};

/** The grant that allows the action on the resource, or null. */
export function allowingGrant(principal: Principal, action: Action, resource?: Resource): Grant | null {
  const need = ACTION_ROLE[action];
  return principal.grants.find((g) => roleAtLeast(g.role, need) && grantCovers(g, resource)) ?? null;
}

export const allows = (principal: Principal, action: Action, resource?: Resource): boolean =>
  allowingGrant(principal, action, resource) !== null;

/** The strongest role the principal holds anywhere, or null. */
export function highestRole(principal: Principal): Role | null {
  let best: Role | null = null;
  for (const g of principal.grants) if (best === null || roleAtLeast(g.role, best)) best = g.role;
  return best;
}

/** Why the action is refused, for the 403 body and the page: what is needed and what the identity has. */
export function denialReason(principal: Principal, action: Action, resource?: Resource): string {
  const need = ACTION_ROLE[action];
  const where = resource ? ` on ${resource.destination} (${resource.system})` : '';
  const has = principal.grants.length
    ? `${principal.name} has ${principal.grants.map(describeGrant).join('; ')}`
    : `${principal.name} has no Signalbox role: ask an admin to add you to a group the dashboard maps to a role`;
  // The action's words already say what the role is for; repeating them in brackets read as a stutter.
  return `To ${ACTION_WORDS[action]}${where} you need the ${need} role; ${has}.`;
}

/** The principal when allowed; otherwise an AccessError: 401 with nobody signed in, 403 with the reason. */
export function authorize(principal: Principal | null, action: Action, resource?: Resource): Principal {
  if (principal === null)
    throw new AccessError(
      'Sign in first (open /auth/sign-in in a browser), or send an API token as Authorization: Bearer <token>.',
      401,
    );
  if (!allows(principal, action, resource))
    throw new AccessError(denialReason(principal, action, resource), 403);
  return principal;
}

/** How the audit log records the principal. */
export function actorOf(principal: Principal): Actor {
  return { name: principal.name, subject: principal.subject, idp: principal.idp, tokenId: principal.tokenId };
}

/**
 * Whether a page offers the controls of an action (the Replay panel, Delete):
 * when the principal may do it there, and without sign-in always, where the
 * operator token is asked for on first use and checked by the server.
 */
export const offers = (principal: Principal, action: Action, resource?: Resource): boolean =>
  principal.kind === 'local' || allows(principal, action, resource);

import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Resource } from '@/lib/model/access';
import { config } from '@/lib/runtime';
import { sessionPrincipal } from './authenticate';
import { sessionCookie } from './cookies';
import { type Action, type Principal, allows, denialReason } from './principal';

/** The signed-in principal of a page request, or null (no sign-in configured gives the local principal). */
export async function pagePrincipal(): Promise<Principal | null> {
  const { oidc } = config().auth;
  const id = oidc ? ((await cookies()).get(sessionCookie(oidc).name)?.value ?? null) : null;
  return sessionPrincipal(id);
}

/**
 * The check every page makes on the server: nobody signed in goes to sign-in
 * (and comes back to `path`); somebody without the role gets `denied`, the
 * reason the page shows instead of its content.
 */
export async function pageAccess(
  path: string,
  action: Action = 'view',
  resource?: Resource,
): Promise<{ principal: Principal; denied: string | null }> {
  const principal = await pagePrincipal();
  if (!principal) redirect(`/auth/sign-in?returnTo=${encodeURIComponent(path)}`);
  return {
    principal,
    denied: allows(principal, action, resource) ? null : denialReason(principal, action, resource),
  };
}

import { pagePrincipal } from '@/lib/auth/page-access';
import { allows, highestRole } from '@/lib/auth/principal';

/**
 * Who is signed in, with which role, and the way out. Signed out (sign-in
 * configured): a link in. Without sign-in it shows nothing; the access
 * banner says that instead.
 */
export async function UserMenu() {
  const principal = await pagePrincipal();
  if (principal === null)
    return (
      <a className="button" href="/auth/sign-in">
        Sign in
      </a>
    );
  if (principal.kind !== 'session') return null;
  const role = highestRole(principal);
  return (
    <div className="user-menu">
      {allows(principal, 'administer') ? <a href="/settings/tokens">API tokens</a> : null}
      <span>
        {principal.name} <span className="muted">· {role ?? 'no role'}</span>
      </span>
      <form method="post" action="/auth/sign-out">
        <button type="submit" className="button">
          Sign out
        </button>
      </form>
    </div>
  );
}

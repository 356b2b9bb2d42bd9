'use client';

import { useWhoAmI } from './who-am-i';

/**
 * Who is signed in, with which role, and the way out. Signed out (sign-in
 * configured): a link in. Without sign-in it shows nothing; the access
 * banner says that instead.
 */
export function UserMenu() {
  const me = useWhoAmI();
  if (!me || me.auth !== 'oidc') return null;
  if (!me.principal)
    return (
      <a className="button" href="/auth/sign-in">
        Sign in
      </a>
    );
  return (
    <div className="user-menu">
      {me.principal.administers ? <a href="/settings/tokens">API tokens</a> : null}
      <span>
        {me.principal.name} <span className="muted">· {me.principal.role ?? 'no role'}</span>
      </span>
      <form method="post" action="/auth/sign-out">
        <button type="submit" className="button">
          Sign out
        </button>
      </form>
    </div>
  );
}

'use client';

import { useWhoAmI } from './who-am-i';

/** Says plainly that there is no sign-in; with sign-in configured it shows nothing. */
export function AccessBanner() {
  const me = useWhoAmI();
  if (!me || me.auth === 'oidc') return null;
  return (
    <p className="access-banner" role="note">
      Access control is off: anyone who can reach this port can read payloads and replay
    </p>
  );
}

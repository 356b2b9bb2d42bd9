import { config } from '@/lib/runtime';

/** Says plainly that there is no sign-in; with sign-in configured it shows nothing. */
export function AccessBanner() {
  if (config().auth.mode === 'oidc') return null;
  return (
    <p className="access-banner" role="note">
      Access control is off: anyone who can reach this port can read payloads and replay
    </p>
  );
}

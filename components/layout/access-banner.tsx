/**
 * Says plainly that there is no sign-in. SIGNALBOX_AUTH takes only `none`
 * until OpenID Connect lands (lib/config/auth.ts), so it always shows; it goes
 * behind the auth mode then. It reads no configuration on purpose: the layout
 * is also rendered by `next build`, with the build machine's environment.
 */
export function AccessBanner() {
  return (
    <p className="access-banner" role="note">
      Access control is off: anyone who can reach this port can read payloads and replay
    </p>
  );
}

// Next.js start-up hook (https://nextjs.org/docs/app/guides/instrumentation).
// Not to be confused with the instrumentation/ package folder: this file only
// validates configuration so a bad value stops the dashboard at start with a
// message naming the key, instead of failing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { exitOnBadConfig } = await import('./lib/config-check');
    exitOnBadConfig();
  }
}

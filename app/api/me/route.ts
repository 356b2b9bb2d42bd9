import { requestPrincipal } from '@/lib/auth/authenticate';
import { allows, highestRole } from '@/lib/auth/principal';
import { errorResponse } from '@/lib/http/respond';
import { config } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** What the header shows about access. */
export interface WhoAmI {
  /** `oidc` with sign-in; `none` or null without (then the access banner shows). */
  auth: 'oidc' | 'none' | null;
  /** The signed-in person or token; null when nobody is signed in or there is no sign-in. */
  principal: { name: string; kind: string; role: string | null; administers: boolean } | null;
}

/**
 * GET /api/me (open to all): whether sign-in is on and who is signed in. The
 * header reads it in the browser, which keeps the layout free of per-request
 * work (and the pages' links prefetchable).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const auth = config().auth.mode;
    const principal = auth === 'oidc' ? await requestPrincipal(request).catch(() => null) : null;
    const body: WhoAmI = {
      auth,
      principal: principal && {
        name: principal.name,
        kind: principal.kind,
        role: highestRole(principal),
        administers: allows(principal, 'administer'),
      },
    };
    return Response.json(body, { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    return errorResponse(error, 'reading who is signed in');
  }
}

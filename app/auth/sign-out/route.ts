import { NextResponse } from 'next/server';
import { cookieValue, sessionCookie } from '@/lib/auth/cookies';
import { requireOwnOrigin } from '@/lib/auth/guard';
import { errorResponse } from '@/lib/http/respond';
import { config, getSignIn } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page that goes on to the identity provider. Not a redirect: the pages'
 * Content-Security-Policy has `form-action 'self'`, which also stops a form's
 * redirect to another origin, and the IdP's origin is only known at run time.
 */
function continueAt(url: URL): NextResponse {
  const href = escape(url.href);
  return new NextResponse(
    `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}">
<title>Signing out · Signalbox</title><p>Signed out here. Signing you out at your identity provider…
<a href="${href}">continue</a></p>`,
    { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } },
  );
}

/**
 * POST /auth/sign-out (the header's button): ends the session here, then at
 * the identity provider too, which comes back to /auth/signed-out.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    requireOwnOrigin(request);
    const { oidc } = config().auth;
    const signIn = await getSignIn();
    if (!oidc || !signIn) return NextResponse.redirect(new URL('/', request.url), 303);
    const cookie = sessionCookie(oidc);
    const id = cookieValue(request.headers.get('cookie'), cookie.name);
    const atIdp = id ? await signIn.sessions.end(id) : null;
    const response = atIdp
      ? continueAt(atIdp)
      : NextResponse.redirect(new URL('/auth/signed-out', oidc.publicUrl), 303);
    response.cookies.set(cookie.name, '', { ...cookie.options, maxAge: 0 });
    return response;
  } catch (error) {
    return errorResponse(error, 'signing out');
  }
}

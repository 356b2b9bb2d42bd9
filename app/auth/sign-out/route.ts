import { NextResponse } from 'next/server';
import { cookieValue, sessionCookie } from '@/lib/auth/cookies';
import { requireSameOrigin } from '@/lib/auth/operator';
import { errorResponse } from '@/lib/http/respond';
import { config, getSignIn } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /auth/sign-out (the header's button): ends the session here, then at
 * the identity provider too, which comes back to /auth/signed-out.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    requireSameOrigin(request);
    const { oidc } = config().auth;
    const signIn = await getSignIn();
    if (!oidc || !signIn) return NextResponse.redirect(new URL('/', request.url), 303);
    const cookie = sessionCookie(oidc);
    const id = cookieValue(request.headers.get('cookie'), cookie.name);
    const atIdp = id ? await signIn.sessions.end(id) : null;
    const response = NextResponse.redirect(atIdp ?? new URL('/auth/signed-out', oidc.publicUrl), 303);
    response.cookies.set(cookie.name, '', { ...cookie.options, maxAge: 0 });
    return response;
  } catch (error) {
    return errorResponse(error, 'signing out');
  }
}

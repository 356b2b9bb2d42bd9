import { NextResponse } from 'next/server';
import { signInCookie } from '@/lib/auth/cookies';
import { errorResponse } from '@/lib/http/respond';
import { config, getSignIn } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /auth/sign-in?returnTo=/dlq → the identity provider's sign-in page
 * (authorization code with PKCE). Without sign-in configured, back home.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const { oidc } = config().auth;
    const signIn = await getSignIn();
    if (!oidc || !signIn) return NextResponse.redirect(new URL('/', request.url), 303);
    const { url, state } = await signIn.sessions.begin(new URL(request.url).searchParams.get('returnTo'));
    const response = NextResponse.redirect(url, 303);
    const cookie = signInCookie(oidc);
    response.cookies.set(cookie.name, state, cookie.options);
    response.headers.set('cache-control', 'no-store');
    return response;
  } catch (error) {
    return errorResponse(error, 'starting the sign-in');
  }
}

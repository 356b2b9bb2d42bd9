import { NextResponse } from 'next/server';
import { cookieValue, sessionCookie, signInCookie } from '@/lib/auth/cookies';
import { SignInError } from '@/lib/auth/sessions';
import { errorResponse } from '@/lib/http/respond';
import { config, getSignIn } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

function failedSignIn(message: string): Response {
  const text = `Sign-in failed: ${message}.`;
  const html = `<!doctype html><meta charset="utf-8"><title>Sign-in failed · Signalbox</title>
<main style="font-family:system-ui;max-width:40rem;margin:4rem auto"><h1>Sign-in failed</h1>
<p>${text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p><p><a href="/auth/sign-in">Sign in again</a></p></main>`;
  return new Response(html, { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * GET /auth/callback?code=…&state=… — where the identity provider sends the
 * browser back. Exchanges the code (with the PKCE verifier), starts a session
 * and goes where the sign-in began.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const { oidc } = config().auth;
    const signIn = await getSignIn();
    if (!oidc || !signIn) return NextResponse.redirect(new URL('/', request.url), 303);
    // The URL as the browser saw it, which is what the IdP redirected to (behind a proxy too).
    const incoming = new URL(request.url);
    const callbackUrl = new URL(incoming.pathname + incoming.search, oidc.publicUrl);
    const stateCookie = signInCookie(oidc);
    const { sessionId, returnTo } = await signIn.sessions.complete(
      callbackUrl,
      cookieValue(request.headers.get('cookie'), stateCookie.name),
    );
    const response = NextResponse.redirect(new URL(returnTo, oidc.publicUrl), 303);
    const session = sessionCookie(oidc);
    response.cookies.set(session.name, sessionId, session.options);
    response.cookies.set(stateCookie.name, '', { ...stateCookie.options, maxAge: 0 });
    response.headers.set('cache-control', 'no-store');
    return response;
  } catch (error) {
    if (error instanceof SignInError) return failedSignIn(error.message);
    return errorResponse(error, 'finishing the sign-in');
  }
}

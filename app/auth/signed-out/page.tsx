import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Signed out' };

export default function SignedOutPage() {
  return (
    <section className="panel" aria-labelledby="signed-out-title">
      <h1 id="signed-out-title">You are signed out</h1>
      <p>Your Signalbox session has ended here and at your identity provider.</p>
      <p>
        <a href="/auth/sign-in">Sign in again</a>
      </p>
    </section>
  );
}

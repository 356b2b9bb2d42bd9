import type { Metadata } from 'next';
import { Forbidden } from '@/components/layout/forbidden';
import { CreateTokenForm, RevokeButton } from '@/components/settings/token-actions';
import { pageAccess } from '@/lib/auth/page-access';
import { describeGrant } from '@/lib/model/access';
import { getSignIn } from '@/lib/runtime';

export const metadata: Metadata = { title: 'API tokens' };
export const dynamic = 'force-dynamic';

const when = (ms: number | null) =>
  ms === null ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** Admins create, list and revoke the API tokens automation uses. */
export default async function TokensPage() {
  const { denied } = await pageAccess('/settings/tokens', 'administer');
  if (denied) return <Forbidden title="API tokens" reason={denied} />;
  const signIn = await getSignIn();
  if (!signIn)
    return (
      <Forbidden
        title="API tokens"
        reason="API tokens need sign-in (SIGNALBOX_AUTH=oidc). Without it, SIGNALBOX_OPERATOR_TOKEN is the credential for changes."
      />
    );
  const tokens = await signIn.tokens.list();
  const now = Date.now();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p className="muted">
            For automation: send as <code>Authorization: Bearer sbx_…</code>. Stored hashed; every creation
            and revocation is in the audit log.
          </p>
        </div>
      </div>
      <section className="panel" aria-labelledby="new-token-title">
        <h2 id="new-token-title">New token</h2>
        <CreateTokenForm />
      </section>
      <section className="panel" aria-labelledby="tokens-title">
        <h2 id="tokens-title">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="muted">No API tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">May</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Expires (UTC)</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id}>
                    <td className="mono">{t.id}</td>
                    <td>{t.name}</td>
                    <td>{describeGrant(t.grant)}</td>
                    <td>{t.createdBy}</td>
                    <td className="mono">{when(t.expiresAtMs)}</td>
                    <td className="mono">{when(t.lastUsedAtMs)}</td>
                    <td>
                      {t.revokedAtMs !== null ? (
                        `revoked by ${t.revokedBy}`
                      ) : t.expiresAtMs <= now ? (
                        'expired'
                      ) : (
                        <RevokeButton id={t.id} name={t.name} />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

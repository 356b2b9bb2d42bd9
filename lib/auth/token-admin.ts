import 'server-only';
import { ConflictError } from '@/lib/http/errors';
import { getSignIn } from '@/lib/runtime';
import type { ApiTokenStore } from './api-tokens';

/** The API-token store; tokens exist only with sign-in (without it, the operator token is the credential). */
export async function apiTokens(): Promise<ApiTokenStore> {
  const signIn = await getSignIn();
  if (!signIn)
    throw new ConflictError(
      'API tokens need sign-in (SIGNALBOX_AUTH=oidc); without it, SIGNALBOX_OPERATOR_TOKEN is the credential for changes',
    );
  return signIn.tokens;
}

import { HttpError } from '@/lib/http/errors';

/**
 * A request refused for who is asking: 401 when nobody is signed in or a
 * credential is not valid, 403 when the identity lacks the role or scope,
 * 503 when the feature is off until a setting is made. The message says which
 * and what to do.
 */
export class AccessError extends HttpError {
  override name = 'AccessError';
  declare readonly headers?: Record<string, string>;
  constructor(
    message: string,
    readonly status: 401 | 403 | 503,
    /** What a 401 asks for: `signalbox` (sign-in or an API token) or `signalbox-operator` (the operator token). */
    realm: 'signalbox' | 'signalbox-operator' = 'signalbox',
  ) {
    super(message);
    if (status === 401) this.headers = { 'www-authenticate': `Bearer realm="${realm}"` };
  }
}

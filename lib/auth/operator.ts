import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '@/lib/http/errors';

/** Why a mutating request was refused; `status` is the HTTP status to answer with. */
export class OperatorAuthError extends HttpError {
  override name = 'OperatorAuthError';
  constructor(
    message: string,
    readonly status: 401 | 403 | 503,
  ) {
    super(message);
  }
}

/** Constant-time comparison; hashing first makes the lengths equal, so length is not leaked either. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Authorizes a mutating request (replay, delete, purge). CSRF safety comes from two things: the token
 * travels in `Authorization: Bearer …`, which browsers never attach on their own (unlike cookies), and
 * requests a browser marks as cross-site (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not
 * this host) are refused outright. Returns the actor recorded in the audit log.
 */
export function requireOperator(request: Request, token: string | null): string {
  if (token === null) {
    throw new OperatorAuthError(
      'replay, delete and purge are disabled: set SIGNALBOX_OPERATOR_TOKEN on the dashboard to enable them',
      503,
    );
  }
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site') throw new OperatorAuthError('cross-site requests are refused', 403);
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== 'null') {
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
    let originHost: string | null;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = null;
    }
    if (originHost === null || originHost !== host) {
      throw new OperatorAuthError(`requests from ${origin} are refused (not this dashboard's origin)`, 403);
    }
  } else if (origin === 'null') {
    throw new OperatorAuthError('requests from an opaque origin are refused', 403);
  }
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1])
    throw new OperatorAuthError('send the operator token as Authorization: Bearer <token>', 401);
  if (!tokensEqual(match[1], token)) throw new OperatorAuthError('the operator token is not valid', 401);
  // One shared token identifies no person: the audit log records the name the UI asked for
  // (`X-Signalbox-Operator`, self-declared until full sign-in exists) and a token fingerprint, so a
  // rotated token shows up in the log.
  const declared = (request.headers.get('x-signalbox-operator') ?? '')
    .replace(/[^\w .@-]/g, '')
    .trim()
    .slice(0, 64);
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 8);
  return `${declared || 'operator'} (token ${fingerprint})`;
}

import 'server-only';
import { parseQueueId } from '@/lib/dlq/queue-id';
import type { Resource } from '@/lib/model/access';
import { config } from '@/lib/runtime';
import { AccessError } from './access-error';
import { requestPrincipal } from './authenticate';
import { requireSameOrigin } from './operator';
import { type Action, type Principal, authorize } from './principal';

/**
 * The check every API route makes before it touches a store or a broker:
 * who is asking, and may they do this here. Changes must come from this
 * dashboard's own origin. Throws AccessError (401, 403 or 503), which
 * errorResponse turns into the answer.
 */
export async function authorizeRequest(
  request: Request,
  action: Action,
  resource?: Resource,
): Promise<Principal> {
  if (request.method !== 'GET' && request.method !== 'HEAD') requireOwnOrigin(request);
  const principal = await requestPrincipal(request);
  if (principal?.kind === 'local' && (action === 'change' || action === 'administer')) {
    if (config().dlq.operatorToken === null)
      throw new AccessError(
        'replay, delete and purge are disabled: set SIGNALBOX_OPERATOR_TOKEN on the dashboard to enable them',
        503,
      );
    throw new AccessError(
      'send the operator token as Authorization: Bearer <token>',
      401,
      'signalbox-operator',
    );
  }
  return authorize(principal, action, resource);
}

/** Refuses a change from any origin but this dashboard's (see requireSameOrigin). */
export function requireOwnOrigin(request: Request): void {
  const { trustProxy, oidc } = config().auth;
  requireSameOrigin(request, { trustProxy, publicHost: oidc?.publicUrl.host ?? null });
}

/**
 * The queue a DLQ id (`system:name`) names, for scope checks. A malformed id
 * becomes a resource no limited grant covers; the route then answers 404.
 */
export function dlqResource(queueId: string): Resource {
  const parsed = parseQueueId(queueId);
  return parsed ? { system: parsed.system, destination: parsed.name } : { system: '', destination: queueId };
}

import { authorizeRequest } from '@/lib/auth/guard';
import { actorOf } from '@/lib/auth/principal';
import { NotFoundError } from '@/lib/http/errors';
import { parseBody } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { acknowledgeBody } from '@/lib/http/schemas/alerts';
import { getAlerts, getAuditLog } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /api/alerts/acknowledgements (operator) with `{ ruleId, subject }` → `{ acknowledged: true }`: the
 * firing alert shows who is on it, until it resolves.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'change');
    const { ruleId, subject } = await parseBody(request, acknowledgeBody);
    const now = Date.now();
    if (!(await (await getAlerts()).store.acknowledge(ruleId, subject, principal.name, now)))
      throw new NotFoundError(`no alert of rule ${ruleId} on ${subject} is firing`);
    await (
      await getAuditLog()
    ).append({
      atMs: now,
      actor: actorOf(principal),
      action: 'alert-acknowledge',
      queueId: '',
      jobId: null,
      detail: { ruleId, subject },
    });
    return Response.json({ acknowledged: true });
  } catch (error) {
    return errorResponse(error, 'acknowledging the alert');
  }
}

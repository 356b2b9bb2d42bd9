import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { NotFoundError } from '@/lib/http/errors';
import { parseBody } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { acknowledgeBody } from '@/lib/http/schemas/alerts';
import { getAlerts } from '@/lib/runtime';

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
    await recordChange(principal, 'alert-acknowledge', { ruleId, subject }, now);
    return Response.json({ acknowledged: true });
  } catch (error) {
    return errorResponse(error, 'acknowledging the alert');
  }
}

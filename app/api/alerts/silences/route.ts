import { randomUUID } from 'node:crypto';
import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { parseBody } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { createSilenceBody } from '@/lib/http/schemas/alerts';
import { getAlerts } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /api/alerts/silences (operator) with `{ ruleId?, subject?, minutes, reason }` → 201 `{ silence }`:
 * notifications of matching alerts are not sent until it ends (alerts still show on the page).
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'change');
    const body = await parseBody(request, createSilenceBody);
    const now = Date.now();
    const silence = {
      id: randomUUID(),
      ruleId: body.ruleId ?? null,
      subject: body.subject ?? null,
      reason: body.reason,
      createdBy: principal.name,
      createdMs: now,
      endsMs: now + body.minutes * 60_000,
      expiredBy: null,
    };
    await (await getAlerts()).store.addSilence(silence);
    await recordChange(principal, 'alert-silence', silence, now);
    return Response.json({ silence }, { status: 201 });
  } catch (error) {
    return errorResponse(error, 'silencing alerts');
  }
}

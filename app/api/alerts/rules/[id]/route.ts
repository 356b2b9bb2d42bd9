import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { ConflictError, NotFoundError } from '@/lib/http/errors';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { config, getAlerts } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** DELETE /api/alerts/rules/{id} (operator) → `{ removed: id }`: an added rule, and its alerts, without a word. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'change');
    const id = decodeSegment((await params).id, 'id');
    if (config().alerts.rules.some((r) => r.id === id))
      throw new ConflictError(`${id} is set in the rules file (SIGNALBOX_ALERT_RULES_FILE): remove it there`);
    if (!(await (await getAlerts()).store.removeRule(id)))
      throw new NotFoundError(`there is no added rule ${id}`);
    await recordChange(principal, 'alert-rule-remove', { id });
    return Response.json({ removed: id });
  } catch (error) {
    return errorResponse(error, 'removing the alert rule');
  }
}

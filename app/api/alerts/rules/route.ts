import { toRule, ruleInput } from '@/lib/alerts/rule-schema';
import { authorizeRequest } from '@/lib/auth/guard';
import { recordChange } from '@/lib/auth/record-change';
import { ConflictError } from '@/lib/http/errors';
import { parseBody } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { config, getAlerts } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * POST /api/alerts/rules (operator) with one rule as the rules file writes it (`{ id, name, kind, … }`,
 * README "Alerts") → 201 `{ rule }`: evaluated from the next round, kept in the store. 409 when the
 * id is taken, by the file or by an added rule.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'change');
    const rule = toRule(await parseBody(request, ruleInput));
    if (config().alerts.rules.some((r) => r.id === rule.id))
      throw new ConflictError(`the rules file already has a rule ${rule.id}: choose another id`);
    const now = Date.now();
    if (!(await (await getAlerts()).store.addRule(rule, principal.name, now)))
      throw new ConflictError(`a rule ${rule.id} was already added: choose another id, or remove it first`);
    await recordChange(principal, 'alert-rule-add', { rule }, now);
    return Response.json({ rule }, { status: 201 });
  } catch (error) {
    return errorResponse(error, 'adding the alert rule');
  }
}

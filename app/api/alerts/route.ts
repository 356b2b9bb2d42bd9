import { describeCondition } from '@/lib/alerts/rule';
import { authorizeRequest } from '@/lib/auth/guard';
import { errorResponse } from '@/lib/http/respond';
import { getAlerts } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/alerts → `{ rules, alerts, silences, notifications }`: the configured rules (with their condition in
 * words), alerts pending or firing now (with who acknowledged them), the silences running, and the
 * latest 50 notifications with how their delivery went.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { evaluator, store } = await getAlerts();
    const rules = (await evaluator.rules()).map((rule) => ({ ...rule, condition: describeCondition(rule) }));
    const byId = new Map(rules.map((r) => [r.id, r]));
    const alerts = (await store.states()).map((state) => ({
      ...state,
      rule: byId.get(state.ruleId)?.name ?? state.ruleId,
      severity: byId.get(state.ruleId)?.severity ?? 'warning',
    }));
    const notifications = (await store.recent(50)).map(({ body: _body, ...rest }) => rest);
    const silences = await store.activeSilences(Date.now());
    return Response.json({ rules, alerts, silences, notifications });
  } catch (error) {
    return errorResponse(error, 'reading alerts');
  }
}

import { prometheusRules } from '@/lib/alerts/prometheus-rules';
import { authorizeRequest } from '@/lib/auth/guard';
import { errorResponse } from '@/lib/http/respond';
import { getAlerts } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/alerts/prometheus-rules → the alert rules as a Prometheus rules file (YAML). */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    return new Response(prometheusRules(await (await getAlerts()).evaluator.rules()), {
      headers: {
        'content-type': 'application/yaml; charset=utf-8',
        'content-disposition': 'inline; filename="signalbox-rules.yml"',
      },
    });
  } catch (error) {
    return errorResponse(error, 'writing Prometheus rules');
  }
}

import { actorOf } from '@/lib/auth/principal';
import { parseBody } from '@/lib/http/parse';
import { dlqPurgeBody } from '@/lib/http/schemas/dlq';
import { queueRoute } from '@/lib/dlq/queue-route';

export const dynamic = 'force-dynamic';

/** POST /api/dlq/{id}/purge (operator role on the queue) with `{ "confirm": "<queue name>" }` → `{ purged }`; audited. */
export const POST = queueRoute('change', 'purging the queue', async ({ request, id, principal, dlq }) => {
  const { confirm } = await parseBody(request, dlqPurgeBody);
  const { service } = await dlq();
  return Response.json(await service.purge(id, actorOf(principal), confirm));
});

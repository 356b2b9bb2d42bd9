import { dlqResource } from '@/lib/auth/guard';
import { actorOf, authorize } from '@/lib/auth/principal';
import { parseBody } from '@/lib/http/parse';
import { dlqReplayBody } from '@/lib/http/schemas/dlq';
import { queueRoute } from '@/lib/dlq/queue-route';

export const dynamic = 'force-dynamic';

/**
 * POST /api/dlq/{id}/replay (operator role on the queue, and on the target when one is chosen) with `{ messageIds | filter | all, target?, dryRun?,
 * ratePerSecond?, editedBody? }`. A dry run answers 200 with `{ dryRun: true, messages, targets,
 * poison, skipped, headerDiff }` and changes nothing; otherwise 202 with the job (poll
 * GET /api/replays/{jobId}).
 */
export const POST = queueRoute('change', 'starting the replay', async ({ request, id, principal, dlq }) => {
  const body = await parseBody(request, dlqReplayBody);
  // A chosen target must be in the operator's reach too (a team limited to payments.* cannot replay into orders).
  if (body.target) authorize(principal, 'change', { ...dlqResource(id), destination: body.target });
  const { service } = await dlq();
  const result = await service.replay(id, body, actorOf(principal));
  return Response.json(result, { status: 'dryRun' in result ? 200 : 202 });
});

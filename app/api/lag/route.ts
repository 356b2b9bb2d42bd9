import { authorizeRequest } from '@/lib/auth/guard';
import { NotFoundError } from '@/lib/http/errors';
import { parseQuery } from '@/lib/http/parse';
import { errorResponse } from '@/lib/http/respond';
import { lagQuery } from '@/lib/http/schemas/lag';
import { getLagPoller } from '@/lib/runtime';
import { parseGroupKey } from '@/lib/lag/views';

export const dynamic = 'force-dynamic';

/**
 * GET /api/lag — every consumer group on every configured broker, from the latest poll (never waits
 * for a broker): `{ generatedAt, groups: [{ system, group, destination, lagMessages, lagSeconds,
 * status, etaSeconds, trend, partitions, ... }], brokers: [{ system, address, reachable, error }] }`.
 * `?system=&destination=&group=` narrows it to one group.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const key = parseGroupKey(parseQuery(request, lagQuery));
    const snapshot = (await getLagPoller()).latest();
    if (!key) return Response.json(snapshot);
    const groups = snapshot.groups.filter(
      (g) => g.system === key.system && g.destination === key.destination && g.group === key.group,
    );
    if (groups.length === 0)
      throw new NotFoundError(`no ${key.system} group ${key.group} on ${key.destination}`);
    return Response.json({ ...snapshot, groups });
  } catch (error) {
    // A broker setting's error names the key to fix (secrets are never echoed): 503 with its message.
    return errorResponse(error, 'reading lag');
  }
}

import { BrokerConfigError } from '@/lib/brokers/config';
import { getLagPoller } from '@/lib/lag';
import { LagQueryError, parseGroupKey } from '@/lib/lag/views';

export const dynamic = 'force-dynamic';

/**
 * GET /api/lag — every consumer group on every configured broker, from the latest poll (never waits
 * for a broker): `{ generatedAt, groups: [{ system, group, destination, lagMessages, lagSeconds,
 * status, etaSeconds, trend, partitions, ... }], brokers: [{ system, address, reachable, error }] }`.
 * `?system=&destination=&group=` narrows it to one group.
 */
export async function GET(request: Request): Promise<Response> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const key = parseGroupKey(params);
    const snapshot = (await getLagPoller()).latest();
    if (!key) return Response.json(snapshot);
    const groups = snapshot.groups.filter(
      (g) => g.system === key.system && g.destination === key.destination && g.group === key.group,
    );
    if (groups.length === 0) {
      return Response.json(
        { error: `no ${key.system} group ${key.group} on ${key.destination}` },
        { status: 404 },
      );
    }
    return Response.json({ ...snapshot, groups });
  } catch (error) {
    if (error instanceof LagQueryError) return Response.json({ error: error.message }, { status: 400 });
    // Operator settings, not internals: the message names the key to fix (secrets are never echoed).
    if (error instanceof BrokerConfigError) return Response.json({ error: error.message }, { status: 503 });
    console.error('lag snapshot failed', error);
    return Response.json({ error: 'reading lag failed; see the dashboard log' }, { status: 500 });
  }
}

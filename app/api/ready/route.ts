import { readiness } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/ready — readiness, for a load balancer or Kubernetes: 503 until the
 * store is open, 200 while serving, 503 again once shutdown has begun (so
 * traffic moves away while the write queue drains). /api/health is liveness.
 */
export function GET(): Response {
  const state = readiness();
  return state.ready
    ? Response.json({ status: 'ready' })
    : Response.json({ status: 'unavailable', reason: state.reason }, { status: 503 });
}

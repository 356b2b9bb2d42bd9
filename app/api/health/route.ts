import { getStore } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/** GET /api/health — 200 with store figures when the store answers, 503 otherwise. */
export async function GET(): Promise<Response> {
  try {
    const store = await getStore();
    return Response.json({ status: 'ok', store: { engine: store.engine, ...(await store.stats()) } });
  } catch (error) {
    console.error('health check failed', error);
    return Response.json(
      { status: 'unavailable', error: 'the store cannot be opened; see the dashboard log' },
      { status: 503 },
    );
  }
}

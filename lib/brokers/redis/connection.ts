import { Redis } from 'ioredis';
import type { TlsSettings } from '@/lib/config';

/**
 * A Redis connection for polling: fails fast instead of queueing commands or reconnecting on its
 * own (the caller reconnects on its next call), and never emits an unhandled 'error'. `name` shows
 * in CLIENT LIST.
 */
export async function openRedis(
  url: string,
  tls: TlsSettings | null,
  name = 'signalbox-lag',
): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectionName: name,
    ...(tls
      ? { tls: { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized } }
      : {}),
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return redis;
}

/** Redis replies like XINFO's flat [key, value, key, value, …] as an object. */
export function flatToObject(reply: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = reply[i + 1];
  return out;
}

/** Redis address for display: host:port/db, no credentials. */
export function redisAddress(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.length > 1 ? u.pathname : ''}`;
}

/** The keys of every stream in the database, each once (SCAN with TYPE, Redis ≥ 6; SCAN may repeat a key). */
export async function streamKeys(redis: Redis): Promise<Set<string>> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = (await redis.call('SCAN', cursor, 'COUNT', 1000, 'TYPE', 'stream')) as [
      string,
      string[],
    ];
    cursor = next;
    for (const key of keys) found.add(key);
  } while (cursor !== '0');
  return found;
}

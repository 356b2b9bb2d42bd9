import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import type { TlsSettings } from '@/lib/config';

/**
 * The RabbitMQ management HTTP API (rabbitmq.com/docs/http-api-reference), when the plugin is enabled
 * and SIGNALBOX_RABBITMQ_MANAGEMENT_URL points at it: the only way to list queues and to read rates,
 * ack counts and the head message's timestamp without consuming anything.
 */

const rate = z.object({ rate: z.number() }).partial().optional();

/** The fields we read from GET /api/queues; everything else is ignored. */
const queueSchema = z.object({
  name: z.string(),
  vhost: z.string(),
  messages_ready: z.number().int().nonnegative().default(0),
  messages_unacknowledged: z.number().int().nonnegative().default(0),
  consumers: z.number().int().nonnegative().default(0),
  // Seconds since the epoch: the `timestamp` property of the first message, when publishers set it
  // (and the message is paged in). Absent otherwise.
  head_message_timestamp: z.number().nullable().optional(),
  // Queue arguments: x-dead-letter-exchange / x-dead-letter-routing-key name where rejects go.
  arguments: z.record(z.string(), z.unknown()).optional(),
  message_stats: z
    .object({
      ack: z.number().optional(),
      deliver_no_ack: z.number().optional(),
      publish_details: rate,
      deliver_get_details: rate,
      ack_details: rate,
    })
    .partial()
    .optional(),
});

export type ManagementQueue = z.infer<typeof queueSchema>;

const COLUMNS = [
  'name',
  'vhost',
  'messages_ready',
  'messages_unacknowledged',
  'consumers',
  'head_message_timestamp',
  'message_stats',
  'arguments',
].join(',');

/** Validates a /api/queues body; throws naming what is wrong. */
export function parseQueues(body: unknown): ManagementQueue[] {
  return parseAnswer(z.array(queueSchema), body);
}

const bindingSchema = z.object({
  destination: z.string(),
  destination_type: z.string(),
  routing_key: z.string().default(''),
});

export type ManagementBinding = z.infer<typeof bindingSchema>;

export function parseAnswer<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(
      `unexpected answer from the RabbitMQ management API at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
    );
  }
  return result.data;
}

/** GET /api/queues with the credentials of the URL; rejects on HTTP errors with the status. */
export async function fetchQueues(
  managementUrl: string,
  tls: TlsSettings | null,
  signal: AbortSignal,
): Promise<ManagementQueue[]> {
  return parseQueues(await getJson(managementUrl, `/api/queues?columns=${COLUMNS}`, tls, signal));
}

/** GET /api/exchanges/{vhost}/{exchange}/bindings/source: where an exchange routes. */
export async function fetchExchangeBindings(
  managementUrl: string,
  vhost: string,
  exchange: string,
  tls: TlsSettings | null,
  signal: AbortSignal,
): Promise<ManagementBinding[]> {
  const path = `/api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(exchange)}/bindings/source`;
  return parseAnswer(z.array(bindingSchema), await getJson(managementUrl, path, tls, signal));
}

export function getJson(
  managementUrl: string,
  path: string,
  tls: TlsSettings | null,
  signal: AbortSignal,
): Promise<unknown> {
  const base = new URL(managementUrl);
  const target = new URL(`${base.pathname.replace(/\/$/, '')}${path}`, base);
  const auth =
    base.username || base.password
      ? `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`
      : 'guest:guest';
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      target,
      {
        auth,
        signal,
        timeout: 10_000,
        headers: { accept: 'application/json' },
        ...(target.protocol === 'https:' && tls
          ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized }
          : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status === 401) return reject(new Error('the management API refused the credentials (401)'));
          if (status !== 200)
            return reject(new Error(`the management API answered HTTP ${status} for ${path.split('?')[0]}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('the management API did not answer within 10 s')));
    request.on('error', reject);
  });
}

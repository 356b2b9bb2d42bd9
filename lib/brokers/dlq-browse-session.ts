import type { BrowseResult, DlqRecord, DlqSession } from './dlq-types';

/**
 * Browsing where the broker has no peek (RabbitMQ, SQS): a replay pass that reads up to `limit`
 * records plus one (to tell whether the DLQ holds more) and then closes, which hands every record
 * back to the queue.
 */
export async function browseWithSession(session: DlqSession, limit: number): Promise<BrowseResult> {
  const records: DlqRecord[] = [];
  try {
    for (let i = 0; i < limit; i++) {
      const record = await session.next();
      if (!record) return { records, truncated: false };
      records.push(record);
    }
    return { records, truncated: (await session.next()) !== null };
  } finally {
    await session.close();
  }
}

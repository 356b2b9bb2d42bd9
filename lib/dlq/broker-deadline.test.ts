import { describe, expect, it } from 'vitest';
import { DlqBrokerError } from '@/lib/brokers/dlq-types';
import { withDeadline } from './broker-deadline';

describe('withDeadline', () => {
  it('passes the answer through when the broker answers in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 'publish', 1000)).resolves.toBe(7);
  });

  it('passes the broker error through unchanged', async () => {
    const error = new DlqBrokerError('RabbitMQ did not confirm the copy to payments');
    await expect(withDeadline(Promise.reject(error), 'publish', 1000)).rejects.toBe(error);
  });

  it('fails a call that never answers with a broker error naming the step', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline(never, 'publish to payments and confirm', 20)).rejects.toThrow(
      /did not answer "publish to payments and confirm" within 20 ms; nothing unconfirmed was removed/,
    );
    await expect(withDeadline(never, 'x', 20)).rejects.toBeInstanceOf(DlqBrokerError);
  });
});

/** What to do when no broker is configured for lag. */
export function EmptyLag() {
  return (
    <section className="panel empty" aria-labelledby="empty-lag-title">
      <h2 id="empty-lag-title">No broker to read lag from</h2>
      <p>
        Signalbox reads consumer lag straight from the brokers. Tell the dashboard where they are (environment
        variables, or the same keys in the JSON file named by <code>SIGNALBOX_CONFIG_FILE</code>):
      </p>
      <pre>
        <code>{`SIGNALBOX_KAFKA_BROKERS=127.0.0.1:9092
SIGNALBOX_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672
SIGNALBOX_RABBITMQ_MANAGEMENT_URL=http://guest:guest@127.0.0.1:15672   # lists queues; else:
SIGNALBOX_RABBITMQ_QUEUES=payments,refunds
SIGNALBOX_NATS_URL=nats://127.0.0.1:4222
SIGNALBOX_REDIS_URL=redis://127.0.0.1:6379        # Redis Streams and BullMQ
SIGNALBOX_SQS_ENDPOINT=http://127.0.0.1:9324       # credentials: the AWS default chain`}</code>
      </pre>
      <p>
        Every consumer group, queue, JetStream consumer, stream group and BullMQ queue found there is shown;{' '}
        <code>SIGNALBOX_LAG_INCLUDE</code> and <code>SIGNALBOX_LAG_EXCLUDE</code> (globs like{' '}
        <code>kafka:orders-*</code>) narrow it.
      </p>
    </section>
  );
}

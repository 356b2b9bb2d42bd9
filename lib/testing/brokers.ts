import net from 'node:net';

/** Loopback addresses of the brokers the integration tests use. */
export const BROKERS = {
  kafka: { host: '127.0.0.1', port: 9092, start: 'bash scripts/brokers/kafka.sh start' },
  rabbitmq: { host: '127.0.0.1', port: 5672, start: 'rabbitmq-server -detached' },
  'rabbitmq-management': {
    host: '127.0.0.1',
    port: 15672,
    start: 'rabbitmq-plugins enable rabbitmq_management',
  },
  nats: { host: '127.0.0.1', port: 4222, start: 'see scripts/brokers/ensure-all.sh' },
  redis: { host: '127.0.0.1', port: 6379, start: 'see scripts/brokers/ensure-all.sh' },
  mqtt: { host: '127.0.0.1', port: 1883, start: 'mosquitto -d -c /etc/mosquitto/mosquitto.conf' },
  sqs: { host: '127.0.0.1', port: 9324, start: 'bash scripts/brokers/elasticmq.sh start' },
  // Not a broker: the identity provider the sign-in tests use, started the same way.
  keycloak: { host: '127.0.0.1', port: 8180, start: 'bash scripts/brokers/keycloak.sh start' },
} as const;

export type BrokerName = keyof typeof BROKERS;

function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides what a test that needs `names` should do. In CI a missing broker is
 * an error (the test must fail, never pass by skipping); elsewhere the test is
 * skipped with the reason and the command that starts the broker.
 *
 * Usage: `const gate = await brokerGate('kafka', 'rabbitmq'); describe.skipIf(gate.skip)(...)`
 */
export async function brokerGate(...names: BrokerName[]): Promise<{ skip: boolean; reason: string }> {
  const missing: string[] = [];
  for (const name of names) {
    const { host, port, start } = BROKERS[name];
    if (!(await canConnect(host, port))) missing.push(`${name} at ${host}:${port} (start it: ${start})`);
  }
  if (missing.length === 0) return { skip: false, reason: '' };
  const reason = `broker not reachable: ${missing.join('; ')}`;
  if (process.env.CI) throw new Error(`${reason}. In CI every broker must be up (.ci/run starts them).`);
  console.warn(`skipping: ${reason}`);
  return { skip: true, reason };
}

import { instrumentKafkaConsumer } from '@signalbox/instrumentation';
import { demoConfig, log, onShutdown, simulateWork } from './config.js';
import { demoKafka, ensureTopic } from './kafka.js';
import { startTelemetry } from './telemetry.js';

// auditor: a deliberately slow second consumer of `orders` (group `audit`), so the Lag page has
// someone falling behind. It alternates a slow phase, where it audits at half the rate checkout
// produces and the lag climbs, with a fast phase, where it catches up in a burst — so the lag is a
// saw-tooth that never runs away and the demo stays healthy for hours.
const SERVICE = 'auditor';
const GROUP = 'audit';
const SLOW_MS = Number(process.env.DEMO_AUDIT_SLOW_SECONDS ?? '150') * 1000;
const FAST_MS = Number(process.env.DEMO_AUDIT_FAST_SECONDS ?? '30') * 1000;
// The three partitions of orders are audited side by side, each message taking long enough that
// together they manage half the produce rate: the lag grows by ordersPerSecond / 2 per second.
const PARTITIONS_AT_ONCE = 3;
const slowWorkMs = (PARTITIONS_AT_ONCE * 2000) / demoConfig.ordersPerSecond;

const telemetry = startTelemetry(SERVICE);
const kafka = demoKafka(SERVICE);
await ensureTopic(kafka, demoConfig.ordersTopic);
const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId: GROUP }), { groupId: GROUP });
await consumer.connect();
await consumer.subscribe({ topic: demoConfig.ordersTopic });

const cycleStart = Date.now();
const slow = () => (Date.now() - cycleStart) % (SLOW_MS + FAST_MS) < SLOW_MS;
let wasSlow = true;
log(
  SERVICE,
  `auditing ${demoConfig.ordersTopic} as group ${GROUP}: ${SLOW_MS / 1000} s at half speed, then ${FAST_MS / 1000} s catching up`,
);

await consumer.run({
  // Commit every few seconds even inside a long batch, so the group's position (what the lag
  // readers see) moves while it works instead of jumping at the end of each batch.
  autoCommitInterval: 5000,
  partitionsConsumedConcurrently: PARTITIONS_AT_ONCE,
  eachMessage: async () => {
    const isSlow = slow();
    if (isSlow !== wasSlow) log(SERVICE, isSlow ? 'slowing down (lag will grow)' : 'catching up');
    wasSlow = isSlow;
    if (isSlow) await simulateWork(slowWorkMs * 0.9, slowWorkMs * 1.1);
    else await simulateWork(1, 3);
  },
});

onShutdown(SERVICE, async () => {
  await consumer.disconnect();
  await telemetry.shutdown();
});

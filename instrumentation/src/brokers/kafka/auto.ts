import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { Consumer, ConsumerConfig, Kafka, Producer } from 'kafkajs';
import { instrumentKafkaProducer } from './producer.js';
import { instrumentKafkaConsumer } from './consumer.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';

type KafkaClass = { prototype: Pick<Kafka, 'producer' | 'consumer'> };

// CommonJS gives the exports object; an ESM import through
// import-in-the-middle gives a namespace that may hold them under `default`.
function kafkaClass(moduleExports: unknown): KafkaClass | undefined {
  const exports = moduleExports as { Kafka?: unknown; default?: { Kafka?: unknown } } | undefined;
  const Kafka = exports?.Kafka ?? exports?.default?.Kafka;
  return typeof Kafka === 'function' ? Kafka : undefined;
}

/**
 * Auto-instrumentation for kafkajs 2.x: every producer and consumer created
 * with `kafka.producer()` / `kafka.consumer({ groupId })` is returned wrapped
 * by `instrumentKafkaProducer` / `instrumentKafkaConsumer` (the group id is
 * taken from the consumer config). Register it with `registerInstrumentations`
 * or through `register()` from `@signalbox/instrumentation/register`.
 */
export class SignalboxKafkaJsInstrumentation extends SignalboxInstrumentationBase {
  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-kafkajs', config);
  }

  protected override init() {
    return new InstrumentationNodeModuleDefinition(
      'kafkajs',
      ['>=2.0.0 <3'],
      (moduleExports: unknown) => {
        const Kafka = kafkaClass(moduleExports);
        if (!Kafka) return moduleExports;
        this.patchFactory(Kafka.prototype, 'producer', (producer) =>
          guarded(
            'kafkajs auto-instrumentation',
            () => instrumentKafkaProducer(producer as Producer, this.wrapperOptions()),
            producer,
          ),
        );
        this.patchFactory(Kafka.prototype, 'consumer', (consumer, args) =>
          guarded(
            'kafkajs auto-instrumentation',
            () => {
              const config = args[0] as ConsumerConfig | undefined;
              return instrumentKafkaConsumer(consumer as Consumer, {
                ...this.wrapperOptions(),
                ...(typeof config?.groupId === 'string' && { groupId: config.groupId }),
              });
            },
            consumer,
          ),
        );
        return moduleExports;
      },
      (moduleExports: unknown) => {
        const Kafka = kafkaClass(moduleExports);
        if (!Kafka) return;
        this.unpatchFactory(Kafka.prototype, 'producer');
        this.unpatchFactory(Kafka.prototype, 'consumer');
      },
    );
  }
}

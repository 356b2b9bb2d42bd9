import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { Job, Processor, Queue } from 'bullmq';
import { instrumentBullMQProcessor, instrumentBullMQQueue } from './queue.js';
import { delegate } from '../../delegate.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';
import { exported, type MethodLookup } from '../../messaging/patch-marks.js';

type Class = { prototype: object };
type Method = (...args: unknown[]) => unknown;

const QUEUE_METHODS = ['add', 'addBulk'] as const;

/**
 * Auto-instrumentation for BullMQ 5 and 6. `Queue.prototype.add` / `addBulk`
 * go through an `instrumentBullMQQueue` wrapper of the queue (made on first
 * use): send spans, context in `opts.telemetry.metadata`. Every job a
 * `Worker` runs goes through `instrumentBullMQProcessor` (patched at
 * `Worker.prototype.callProcessJob`, the one place BullMQ calls your
 * processor, sandboxed or not): a process span per attempt, failures and
 * retries recorded. Queues and workers created with BullMQ's own `telemetry`
 * option (bullmq-otel) are traced by BullMQ: the wrappers step aside there
 * (no span from us on such a queue; metrics only on such a worker).
 * `FlowProducer` is not instrumented.
 */
export class SignalboxBullMQInstrumentation extends SignalboxInstrumentationBase {
  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-bullmq', config);
  }

  private queueWrapper(queue: object, lookups: Map<string, MethodLookup>): Queue | undefined {
    return this.wrapperFor(queue, () =>
      guarded(
        'bullmq queue auto-instrumentation',
        () => {
          // The queue with add/addBulk bound to BullMQ's own (never back to this patch).
          const own = Object.fromEntries(
            [...lookups].map(([name, lookup]): [string, Method] => [
              name,
              (...args) => Reflect.apply(lookup(queue), queue, args),
            ]),
          );
          return instrumentBullMQQueue(
            delegate(queue as Queue, own as Partial<Queue>),
            this.wrapperOptions(),
          );
        },
        undefined,
      ),
    );
  }

  private processorFor(worker: object, lookup: MethodLookup): Processor | undefined {
    return this.wrapperFor(worker, () =>
      guarded(
        'bullmq worker auto-instrumentation',
        () =>
          instrumentBullMQProcessor(
            (job: Job, token?: string, signal?: AbortSignal) =>
              Reflect.apply(lookup(worker), worker, [job, token, signal]) as Promise<unknown>,
            this.wrapperOptions(),
          ),
        undefined,
      ),
    );
  }

  protected override init() {
    return new InstrumentationNodeModuleDefinition(
      'bullmq',
      ['>=5.0.0 <7'],
      (moduleExports: unknown) => {
        const QueueClass = exported<Class>(moduleExports, (from) => from.Queue);
        if (QueueClass) {
          const lookups = new Map<string, MethodLookup>();
          for (const name of QUEUE_METHODS) {
            const lookup = this.patchMethod(QueueClass.prototype, name, (original, queue, args) => {
              const method = (
                this.queueWrapper(queue, lookups) as unknown as Record<string, Method> | undefined
              )?.[name];
              return method ? method(...args) : Reflect.apply(original(queue), queue, args);
            });
            if (lookup) lookups.set(name, lookup);
          }
        }
        const WorkerClass = exported<Class>(moduleExports, (from) => from.Worker);
        if (WorkerClass) {
          this.patchMethod(WorkerClass.prototype, 'callProcessJob', (original, worker, args) => {
            const processor = this.processorFor(worker, original);
            if (!processor) return Reflect.apply(original(worker), worker, args);
            const [job, token, signal] = args as [Job, string | undefined, AbortSignal | undefined];
            return processor(job, token, signal);
          });
        }
        return moduleExports;
      },
      (moduleExports: unknown) => {
        for (const pick of [
          (from: Record<string, unknown>) => from.Queue,
          (from: Record<string, unknown>) => from.Worker,
        ]) {
          const Class = exported<Class>(moduleExports, pick);
          if (Class) this.unpatchMethods(Class.prototype);
        }
      },
    );
  }
}

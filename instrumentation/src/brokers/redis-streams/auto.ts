import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { Redis } from 'ioredis';
import { instrumentRedisStreams } from './client.js';
import { delegate } from '../../delegate.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';
import type { MethodLookup } from '../../messaging/patch-marks.js';

/** The ioredis methods `instrumentRedisStreams` overrides; every other command is left alone. */
const STREAM_METHODS = [
  'xadd',
  'xaddBuffer',
  'xreadgroup',
  'xreadgroupBuffer',
  'xautoclaim',
  'xautoclaimBuffer',
  'xack',
] as const;

type Command = (...args: unknown[]) => unknown;

/**
 * The client classes whose prototypes get the patch: `Redis` and `Cluster`.
 * Not their shared base `Commander`, which pipelines and MULTI also extend:
 * those queue commands instead of returning replies, and stay uninstrumented
 * as with the wrapper.
 */
function clientPrototypes(moduleExports: unknown): object[] {
  const ns = moduleExports as Record<string, unknown> | undefined;
  const candidates = [ns, ns?.Redis, ns?.Cluster, ns?.default, (ns?.default as typeof ns)?.Cluster];
  const prototypes = new Set<object>();
  for (const candidate of candidates) {
    if (typeof candidate !== 'function') continue;
    const prototype = (candidate as { prototype?: unknown }).prototype;
    if (typeof prototype === 'object' && prototype !== null && 'xadd' in prototype) prototypes.add(prototype);
  }
  return [...prototypes];
}

/**
 * Auto-instrumentation for ioredis 5 and 6 (Redis Streams): `xadd`,
 * `xreadgroup`, `xautoclaim`, `xack` (and their `…Buffer` forms) of `Redis`
 * and `Cluster` clients are patched on the prototypes to go through an
 * `instrumentRedisStreams` wrapper of the client (made on first use): send
 * spans with context as entry fields, receive spans linked to each entry's
 * producer, ack settle spans. Use `processRedisStreamEntry` from the main
 * entry for per-entry process spans. Other commands, pipelines and MULTI are
 * not touched.
 */
export class SignalboxIoredisStreamsInstrumentation extends SignalboxInstrumentationBase {
  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-ioredis-streams', config);
  }

  private instrumented(client: object, lookups: Map<string, MethodLookup>): Redis | undefined {
    return this.wrapperFor(client, () =>
      guarded(
        'ioredis auto-instrumentation',
        () => {
          // The wrapper wraps the client with the stream methods bound to
          // ioredis' own (never back to this patch).
          const own = Object.fromEntries(
            [...lookups].map(([name, lookup]): [string, Command] => [
              name,
              (...args) => Reflect.apply(lookup(client), client, args),
            ]),
          );
          return instrumentRedisStreams(
            delegate(client as Redis, own as Partial<Redis>),
            this.wrapperOptions(),
          );
        },
        undefined,
      ),
    );
  }

  protected override init() {
    return new InstrumentationNodeModuleDefinition(
      'ioredis',
      ['>=5.0.0 <7'],
      (moduleExports: unknown) => {
        for (const prototype of clientPrototypes(moduleExports)) {
          // Each patched method's original, so the wrapper of a client reaches all of them.
          const lookups = new Map<string, MethodLookup>();
          for (const name of STREAM_METHODS) {
            const lookup = this.patchMethod(prototype, name, (original, client, args) => {
              const wrapped = this.instrumented(client, lookups) as unknown as
                Record<string, Command> | undefined;
              const method = wrapped?.[name];
              return method ? method(...args) : Reflect.apply(original(client), client, args);
            });
            if (lookup) lookups.set(name, lookup);
          }
        }
        return moduleExports;
      },
      (moduleExports: unknown) => {
        for (const prototype of clientPrototypes(moduleExports)) this.unpatchMethods(prototype);
      },
    );
  }
}

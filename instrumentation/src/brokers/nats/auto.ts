import {
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
} from '@opentelemetry/instrumentation';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/nats-core';
import { instrumentJetStream } from './jetstream.js';
import { instrumentNatsConnection, type NatsInstrumentationOptions } from './connection.js';
import { originalOf } from '../../messaging/wrap-once.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';

const SUPPORTED = ['>=3.0.0 <4'];

// JetStream must be built on the original connection: its pull requests and
// acks are plain publishes on the connection, which a wrapped one would turn
// into spurious send spans.

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isPromiseLike = (value: unknown): value is Promise<unknown> =>
  typeof (value as { then?: unknown } | null)?.then === 'function';

/** `[nc, ...rest]` with a wrapped connection (ours, or one the user wrapped) replaced by its original. */
function withOriginalConnection(args: unknown[]): unknown[] {
  const [nc, ...rest] = args;
  const original = isObject(nc) ? originalOf(nc) : undefined;
  return original ? [original, ...rest] : args;
}

/**
 * Auto-instrumentation for NATS v3 (`@nats-io/transport-node`, and JetStream
 * from `@nats-io/jetstream`):
 * - `connect()` resolves to a connection wrapped by `instrumentNatsConnection`
 *   (publish → send span with context in headers; callback subscriptions →
 *   process spans; iterator subscriptions via `processNatsMessage`);
 * - `jetstream(nc)` returns a client wrapped by `instrumentJetStream` (publish,
 *   and consumers from `js.consumers`), built on the original connection;
 *   `jetstreamManager(nc)` is also given the original connection.
 * Messages published without headers get new ones from `@nats-io/nats-core`'s
 * `headers()`, picked up when that module loads (transport-node loads it).
 */
export class SignalboxNatsInstrumentation extends SignalboxInstrumentationBase {
  private headersFactory: (() => MsgHdrs) | undefined;

  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-nats', config);
  }

  private natsOptions(): NatsInstrumentationOptions {
    const factory = this.headersFactory;
    return this.wrapperOptions(factory ? { headers: factory } : {});
  }

  private wrapConnection(nc: unknown): unknown {
    if (!isObject(nc) || typeof (nc as NatsConnection).publish !== 'function') return nc;
    return this.wrapperFor(nc, () =>
      guarded(
        'nats auto-instrumentation',
        () => instrumentNatsConnection(nc as NatsConnection, this.natsOptions()),
        nc as NatsConnection,
      ),
    );
  }

  private wrapJetStream(js: unknown): unknown {
    if (!isObject(js) || typeof (js as JetStreamClient).publish !== 'function') return js;
    return this.wrapperFor(js, () =>
      guarded(
        'jetstream auto-instrumentation',
        () => instrumentJetStream(js as JetStreamClient, this.natsOptions()),
        js as JetStreamClient,
      ),
    );
  }

  protected override init() {
    const connectFile = new InstrumentationNodeModuleFile(
      '@nats-io/transport-node/lib/connect.js',
      SUPPORTED,
      (moduleExports: { connect?: unknown }) => {
        this.patchFactory(moduleExports, 'connect', (result) =>
          isPromiseLike(result) ? result.then((nc) => this.wrapConnection(nc)) : result,
        );
        return moduleExports;
      },
      (moduleExports: { connect?: unknown }) => this.unpatchFactory(moduleExports, 'connect'),
    );
    const jetstreamFile = new InstrumentationNodeModuleFile(
      '@nats-io/jetstream/lib/jsclient.js',
      SUPPORTED,
      (moduleExports: { jetstream?: unknown; jetstreamManager?: unknown }) => {
        this.patchFactory(moduleExports, 'jetstream', (js) => this.wrapJetStream(js), withOriginalConnection);
        this.patchFactory(moduleExports, 'jetstreamManager', (jsm) => jsm, withOriginalConnection);
        return moduleExports;
      },
      (moduleExports: { jetstream?: unknown; jetstreamManager?: unknown }) => {
        this.unpatchFactory(moduleExports, 'jetstream');
        this.unpatchFactory(moduleExports, 'jetstreamManager');
      },
    );
    return [
      new InstrumentationNodeModuleDefinition('@nats-io/transport-node', SUPPORTED, undefined, undefined, [
        connectFile,
      ]),
      new InstrumentationNodeModuleDefinition('@nats-io/jetstream', SUPPORTED, undefined, undefined, [
        jetstreamFile,
      ]),
      // Not patched: only read, for its `headers()` factory.
      new InstrumentationNodeModuleDefinition('@nats-io/nats-core', SUPPORTED, (moduleExports: unknown) => {
        const headers = (moduleExports as { headers?: unknown } | undefined)?.headers;
        if (typeof headers === 'function') this.headersFactory = headers as () => MsgHdrs;
        return moduleExports;
      }),
    ];
  }
}

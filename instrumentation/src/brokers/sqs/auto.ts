import { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { instrumentSqsClient } from './client.js';
import { delegate } from '../../delegate.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';
import { unwrapShimmer } from '../../messaging/coexist.js';
import { exported, type MethodLookup } from '../../messaging/patch-marks.js';

type SqsClientClass = { prototype: object };

const sqsClientClass = (moduleExports: unknown) =>
  exported<SqsClientClass>(moduleExports, (from) => from.SQSClient);

/**
 * Auto-instrumentation for `@aws-sdk/client-sqs` v3. Applications build the
 * client themselves (`new SQSClient(...)`), so there is no factory to wrap:
 * `SQSClient.prototype.send` is patched to hand each call to an
 * `instrumentSqsClient` wrapper of that client (made on first use), which
 * instruments SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch) and
 * ChangeMessageVisibility(Batch) and passes every other command through. The
 * aggregated `SQS` client (`sqs.sendMessage(...)`) calls `send` too. Use
 * `processSqsMessage` from the main entry for per-message process spans.
 *
 * With contrib's aws-sdk instrumentation also registered, the wrapper calls
 * the SDK's unpatched `send` and suppresses tracing below it (contrib's
 * middleware), exactly as for an explicitly wrapped client.
 */
export class SignalboxSqsInstrumentation extends SignalboxInstrumentationBase {
  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-aws-sdk-sqs', config);
  }

  private instrumented(client: object, lookup: MethodLookup): SQSClient {
    return this.wrapperFor(client, () =>
      guarded(
        'sqs auto-instrumentation',
        () => {
          // What the wrapper wraps: the client with `send` bound to the SDK's
          // own method (contrib's shimmer layer removed), never back to this patch.
          const view = delegate(client as SQSClient, {
            send: ((...args: unknown[]) =>
              Reflect.apply(unwrapShimmer(lookup(client)), client, args)) as SQSClient['send'],
          });
          return instrumentSqsClient(view, this.wrapperOptions());
        },
        undefined,
      ),
    ) as SQSClient;
  }

  protected override init() {
    return new InstrumentationNodeModuleDefinition(
      '@aws-sdk/client-sqs',
      ['>=3.0.0 <4'],
      (moduleExports: unknown) => {
        const SQSClientClass = sqsClientClass(moduleExports);
        if (!SQSClientClass) return moduleExports;
        this.patchMethod(SQSClientClass.prototype, 'send', (lookup, client, args) => {
          const wrapped = this.instrumented(client, lookup);
          if (!wrapped) return Reflect.apply(lookup(client), client, args);
          return (wrapped.send as (...a: unknown[]) => unknown)(...args);
        });
        return moduleExports;
      },
      (moduleExports: unknown) => {
        const SQSClientClass = sqsClientClass(moduleExports);
        if (SQSClientClass) this.unpatchMethods(SQSClientClass.prototype);
      },
    );
  }
}

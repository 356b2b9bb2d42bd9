import {
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
} from '@opentelemetry/instrumentation';
import type { Channel } from 'amqplib';
import { instrumentAmqpChannel } from './channel.js';
import { guarded } from '../../spans.js';
import { SignalboxInstrumentationBase, type SignalboxInstrumentationConfig } from '../../auto/base.js';

const SUPPORTED = ['>=0.5.5 <3'];
const FACTORIES = ['createChannel', 'createConfirmChannel'] as const;

type ModelClass = { prototype: Record<(typeof FACTORIES)[number], unknown> };

function isChannel(value: unknown): value is Channel {
  return typeof value === 'object' && value !== null && typeof (value as Channel).publish === 'function';
}

function isPromiseLike(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Auto-instrumentation for amqplib (promise API and `amqplib/callback_api`):
 * every channel and confirm channel created with `createChannel()` /
 * `createConfirmChannel()` is handed to the application wrapped by
 * `instrumentAmqpChannel`. Patches the two model files amqplib's entry
 * points load (`lib/channel_model.js`, `lib/callback_model.js`).
 */
export class SignalboxAmqplibInstrumentation extends SignalboxInstrumentationBase {
  // One proxy per channel: the callback API hands the same channel out twice
  // (return value and callback), and identity must survive that.
  private readonly channels = new WeakMap<object, Channel>();

  constructor(config: SignalboxInstrumentationConfig = {}) {
    super('@signalbox/instrumentation-amqplib', config);
  }

  private wrapChannel(channel: unknown): unknown {
    if (!isChannel(channel)) return channel;
    let wrapped = this.channels.get(channel);
    if (!wrapped) {
      wrapped = guarded(
        'amqplib auto-instrumentation',
        () => instrumentAmqpChannel(channel, this.wrapperOptions()),
        channel,
      );
      this.channels.set(channel, wrapped);
    }
    return wrapped;
  }

  // Callback API: the last argument is cb(err, channel); hand it the proxy.
  private wrapCallback(args: unknown[]): unknown[] {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback !== 'function') return args;
    const wrapped = (err: unknown, channel?: unknown): unknown =>
      (callback as (err: unknown, channel?: unknown) => unknown)(err, channel && this.wrapChannel(channel));
    return [...args.slice(0, last), wrapped];
  }

  private modelFile(file: string, exportName: string) {
    const modelClass = (moduleExports: unknown): ModelClass | undefined => {
      const found = (moduleExports as Record<string, unknown> | undefined)?.[exportName];
      return typeof found === 'function' ? found : undefined;
    };
    return new InstrumentationNodeModuleFile(
      file,
      SUPPORTED,
      (moduleExports: unknown) => {
        const Model = modelClass(moduleExports);
        if (!Model) return moduleExports;
        for (const name of FACTORIES) {
          this.patchFactory(
            Model.prototype,
            name,
            // Promise API: the channel arrives through the promise. Callback
            // API: createChannel([options,] cb) returns the channel too.
            (result) =>
              isPromiseLike(result) ? result.then((ch) => this.wrapChannel(ch)) : this.wrapChannel(result),
            (args) => this.wrapCallback(args),
          );
        }
        return moduleExports;
      },
      (moduleExports: unknown) => {
        const Model = modelClass(moduleExports);
        if (!Model) return;
        for (const name of FACTORIES) this.unpatchFactory(Model.prototype, name);
      },
    );
  }

  protected override init() {
    return new InstrumentationNodeModuleDefinition('amqplib', SUPPORTED, undefined, undefined, [
      this.modelFile('amqplib/lib/channel_model.js', 'ChannelModel'),
      this.modelFile('amqplib/lib/callback_model.js', 'CallbackModel'),
    ]);
  }
}

import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { MessagingInstrumentationOptions } from '../options.js';
import { VERSION } from '../version.js';

/** Configuration of the auto-instrumentations: the wrapper options, plus `enabled`. */
export interface SignalboxInstrumentationConfig
  extends InstrumentationConfig, Omit<MessagingInstrumentationOptions, 'tracerProvider' | 'meterProvider'> {}

/**
 * What the kafkajs and amqplib auto-instrumentations share: they patch the
 * client factory methods (never the per-message methods) so that every
 * producer, consumer and channel the application creates comes back wrapped
 * by the same explicit wrappers the package exports. One implementation of
 * the semantics, whichever way a service adopts it.
 */
export abstract class SignalboxInstrumentationBase<
  Config extends SignalboxInstrumentationConfig = SignalboxInstrumentationConfig,
> extends InstrumentationBase<Config> {
  private tracerProviderOverride: TracerProvider | undefined;
  private meterProviderOverride: MeterProvider | undefined;
  // Our own patches, so unpatch never removes another instrumentation's.
  private readonly ownPatches = new WeakSet<object>();

  constructor(name: string, config: Config = {} as Config) {
    super(name, VERSION, config);
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    this.tracerProviderOverride = tracerProvider;
  }

  override setMeterProvider(meterProvider: MeterProvider): void {
    super.setMeterProvider(meterProvider);
    this.meterProviderOverride = meterProvider;
  }

  /**
   * Options for the wrappers. The providers are getters: registerInstrumentations
   * (or the NodeSDK) may set them after a client was wrapped, and the wrappers
   * read meterProvider per operation.
   */
  protected wrapperOptions(): MessagingInstrumentationOptions {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- `enabled` is not a wrapper option
    const { enabled, ...options } = this.getConfig();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- getters below need the instance
    const self = this;
    return {
      ...options,
      get tracerProvider() {
        return self.tracerProviderOverride;
      },
      get meterProvider() {
        return self.meterProviderOverride;
      },
    };
  }

  /**
   * Replaces `target[name]` (a factory method) with one that passes its
   * result through `instrument` (and its arguments through `instrumentArgs`,
   * for callbacks) while this instrumentation is enabled.
   */
  protected patchFactory<T extends object>(
    target: T,
    name: keyof T & string,
    instrument: (result: unknown, args: unknown[]) => unknown,
    instrumentArgs?: (args: unknown[]) => unknown[],
  ): void {
    const current = target[name];
    if (typeof current !== 'function' || this.ownPatches.has(current)) return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched method needs the instance
    const self = this;
    this._wrap(
      target,
      name,
      ((original: (...args: unknown[]) => unknown) =>
        function patched(this: unknown, ...args: unknown[]): unknown {
          if (!self.isEnabled()) return original.apply(this, args);
          const callArgs = instrumentArgs ? instrumentArgs(args) : args;
          return instrument(original.apply(this, callArgs), args);
        }) as never,
    );
    const patched = target[name];
    if (typeof patched === 'function') this.ownPatches.add(patched);
  }

  /** Undoes {@link patchFactory}, only when the current method is still ours. */
  protected unpatchFactory<T extends object>(target: T, name: keyof T & string): void {
    const current = target[name];
    if (typeof current === 'function' && this.ownPatches.has(current)) this._unwrap(target, name);
  }
}

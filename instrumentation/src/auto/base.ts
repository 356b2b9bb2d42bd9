import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { MessagingInstrumentationOptions } from '../options.js';
import { VERSION } from '../version.js';
import {
  isSignalboxPatch,
  markSignalboxPatch,
  type MethodLookup,
  type MethodPatch,
} from '../messaging/patch-marks.js';

/** Configuration of the auto-instrumentations: the wrapper options, plus `enabled`. */
export interface SignalboxInstrumentationConfig
  extends InstrumentationConfig, Omit<MessagingInstrumentationOptions, 'tracerProvider' | 'meterProvider'> {}

/**
 * What the auto-instrumentations share. Where a client comes from a factory
 * (kafkajs producers, amqplib channels, NATS and MQTT connections) they patch
 * the factory so the client comes back wrapped by the same explicit wrapper
 * the package exports; where the application constructs the client itself
 * (`new SQSClient()`, `new Redis()`, `new Queue()`) they patch the few
 * prototype methods the wrapper overrides and route each call through a
 * wrapper made once per client. One implementation of the semantics,
 * whichever way a service adopts it.
 */
export abstract class SignalboxInstrumentationBase<
  Config extends SignalboxInstrumentationConfig = SignalboxInstrumentationConfig,
> extends InstrumentationBase<Config> {
  private tracerProviderOverride: TracerProvider | undefined;
  private meterProviderOverride: MeterProvider | undefined;
  // Our own patches, so unpatch never removes another instrumentation's.
  private readonly ownPatches = new WeakSet<object>();
  private readonly methodPatches: MethodPatch[] = [];
  // One wrapper per client object, made on its first instrumented call.
  private readonly perClient = new WeakMap<object, unknown>();

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
  protected wrapperOptions<Extra extends object = object>(
    extra?: Extra,
  ): MessagingInstrumentationOptions & Extra {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- `enabled` is not a wrapper option
    const { enabled, ...options } = this.getConfig();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- getters below need the instance
    const self = this;
    return {
      ...options,
      ...(extra as Extra),
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
    // Any Signalbox patch, this instance's or another's (two registrations):
    // one layer only, so one set of spans.
    if (typeof current !== 'function' || this.ownPatches.has(current) || isSignalboxPatch(current)) return;
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
    if (typeof patched === 'function') {
      this.ownPatches.add(patched);
      markSignalboxPatch(patched);
    }
  }

  /** Undoes {@link patchFactory}, only when the current method is still ours. */
  protected unpatchFactory<T extends object>(target: T, name: keyof T & string): void {
    const current = target[name];
    if (typeof current === 'function' && this.ownPatches.has(current)) this._unwrap(target, name);
  }

  /**
   * Replaces the method `name` of `target` (a prototype) with one that calls
   * `instrument(lookup, this, args)` while this instrumentation is enabled,
   * and the method it replaced otherwise. Unlike {@link patchFactory} it does
   * not use shimmer: the explicit wrappers treat shimmer-marked methods as
   * contrib's (see ../messaging/coexist.ts), and ours must not look like contrib's. When
   * `target` had no own `name`, `lookup` resolves the inherited method at
   * call time, so a patch another instrumentation adds further up the chain
   * later is still seen (and, by the wrappers, bypassed). Returns `lookup`,
   * or undefined when nothing was patched (no such method, or already ours).
   */
  protected patchMethod(
    target: object,
    name: string,
    instrument: (lookup: MethodLookup, self: object, args: unknown[]) => unknown,
  ): MethodLookup | undefined {
    const current: unknown = Reflect.get(target, name);
    if (typeof current !== 'function' || isSignalboxPatch(current)) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(target, name);
    if (descriptor && !('value' in descriptor)) return undefined; // an accessor: not a method to patch
    const parent = Object.getPrototypeOf(target) as object;
    const lookup: MethodLookup = descriptor
      ? () => descriptor.value as (...args: unknown[]) => unknown
      : (self) => Reflect.get(parent, name, self) as (...args: unknown[]) => unknown;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched method needs the instance
    const instrumentation = this;
    const patched = function (this: unknown, ...args: unknown[]): unknown {
      if (!instrumentation.isEnabled() || typeof this !== 'object' || this === null) {
        return Reflect.apply(lookup(this), this, args);
      }
      return instrument(lookup, this, args);
    };
    markSignalboxPatch(patched, lookup);
    Object.defineProperty(target, name, {
      value: patched,
      writable: true,
      configurable: true,
      enumerable: descriptor?.enumerable ?? false,
    });
    this.methodPatches.push({ target, name, patched, descriptor });
    return lookup;
  }

  /** Undoes every {@link patchMethod} on `target` whose method is still ours. */
  protected unpatchMethods(target: object): void {
    for (let i = this.methodPatches.length - 1; i >= 0; i--) {
      const patch = this.methodPatches[i];
      if (!patch || patch.target !== target) continue;
      this.methodPatches.splice(i, 1);
      const own = Object.getOwnPropertyDescriptor(target, patch.name);
      // Someone patched over us: leave theirs; ours passes through while disabled.
      if (own?.value !== patch.patched) continue;
      if (patch.descriptor) Object.defineProperty(target, patch.name, patch.descriptor);
      else Reflect.deleteProperty(target, patch.name);
    }
  }

  /** The wrapper for `client`, made by `wrap` on first use and then reused. */
  protected wrapperFor<T>(client: object, wrap: () => T): T {
    if (this.perClient.has(client)) return this.perClient.get(client) as T;
    const wrapped = wrap();
    this.perClient.set(client, wrapped);
    return wrapped;
  }
}

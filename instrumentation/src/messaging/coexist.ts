import { createContextKey, diag, type Context } from '@opentelemetry/api';
import { beneathSignalboxPatch } from './patch-marks.js';

/*
 * Coexisting with the contrib instrumentations (@opentelemetry/instrumentation-
 * kafkajs, -amqplib, -aws-sdk) when both are active in one process.
 *
 * Decision: on a client object Signalbox instruments, Signalbox is the only
 * instrumentation. Contrib patches with shimmer (`_wrap` in
 * @opentelemetry/instrumentation), which marks every patched function with
 * `__wrapped: true` and keeps the unpatched one in `__original`. Our wrappers
 * resolve each method they delegate to through {@link bypassContrib}, so the
 * client call runs the unpatched method: one set of spans, one traceparent
 * (ours, and never a user's overwritten by contrib, which does overwrite).
 * Objects we do not wrap keep contrib's instrumentation untouched.
 */

interface ShimmerWrapped {
  __wrapped?: unknown;
  __original?: unknown;
}

/** True when `fn` was patched by shimmer (contrib instrumentations, require-in-the-middle users). */
export function isShimmerWrapped(fn: unknown): boolean {
  return (
    typeof fn === 'function' &&
    (fn as ShimmerWrapped).__wrapped === true &&
    typeof (fn as ShimmerWrapped).__original === 'function'
  );
}

/** The function under any layers of shimmer patches. */
export function unwrapShimmer<F>(fn: F): F {
  let current: unknown = fn;
  // Bounded: a malformed chain must not loop forever.
  for (let depth = 0; depth < 8 && isShimmerWrapped(current); depth++) {
    current = (current as ShimmerWrapped).__original;
  }
  return current as F;
}

/**
 * The client's own method under contrib's shimmer layers and under Signalbox's
 * own prototype patches (the auto-instrumentation of SQS, ioredis and BullMQ
 * patches prototypes): what a wrapper calls, so that a wrapped client is traced
 * once whether or not the auto-instrumentation is registered too.
 */
function unpatched(method: unknown, self: object): { method: unknown; contrib: boolean } {
  let current = method;
  let contrib = false;
  for (let depth = 0; depth < 8; depth++) {
    if (isShimmerWrapped(current)) {
      contrib = true;
      current = (current as ShimmerWrapped).__original;
      continue;
    }
    const beneath = beneathSignalboxPatch(current, self);
    if (beneath === undefined) break;
    current = beneath;
  }
  return { method: current, contrib };
}

let warned = false;

/**
 * `target[name]` bound to `target`, with contrib's shimmer patch and
 * Signalbox's own prototype patch removed if there are any. Resolved once,
 * when the client is wrapped.
 */
export function bypassContrib<T extends object, K extends keyof T>(target: T, name: K): T[K] {
  const method = target[name];
  if (typeof method !== 'function') {
    // Not a method now (a partial fake, an older client): look it up at call
    // time so the call fails, or succeeds, exactly as it would without us.
    return ((...args: unknown[]) =>
      Reflect.apply(target[name] as (...a: unknown[]) => unknown, target, args)) as T[K];
  }
  const { method: unwrapped, contrib } = unpatched(method, target);
  if (contrib && !warned) {
    warned = true;
    diag.info(
      `@signalbox/instrumentation: ${String(name)} is patched by another instrumentation (contrib); ` +
        'Signalbox instruments the clients it wraps and bypasses that patch on them, so messages are not traced twice.',
    );
  }
  return (unwrapped as (...args: unknown[]) => unknown).bind(target) as T[K];
}

/**
 * True when `name` is shimmer-patched anywhere on `target`'s prototype chain
 * (amqplib's ConfirmChannel.publish calls the patched Channel.prototype.publish
 * through `super`, which no bypass of the object's own method avoids).
 */
export function patchedOnChain(target: object, names: readonly string[]): boolean {
  let current: object | null = target;
  for (let depth = 0; current !== null && depth < 16; depth++) {
    for (const name of names) {
      const own = Object.getOwnPropertyDescriptor(current, name);
      if (own && 'value' in own && isShimmerWrapped(own.value)) return true;
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return false;
}

/*
 * The SDK's "suppress tracing" flag: @opentelemetry/core stores it under
 * createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING'), and the
 * API's createContextKey is Symbol.for(description), so the same key is built
 * here without depending on core. Under it, SDK tracers return non-recording
 * spans and the W3C/B3/Jaeger propagators do not inject.
 * https://github.com/open-telemetry/opentelemetry-js/blob/v2.0.0/packages/opentelemetry-core/src/trace/suppress-tracing.ts
 */
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * `ctx` with tracing suppressed, for running a client call that another
 * instrumentation patches at a level no wrapper can bypass (the AWS SDK's
 * middleware stack): its spans become non-recording and it injects nothing.
 */
export function suppressOtherInstrumentation(ctx: Context): Context {
  return ctx.setValue(SUPPRESS_TRACING, true);
}

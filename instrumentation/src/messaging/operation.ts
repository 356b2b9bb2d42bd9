import { context, type Context, type Span } from '@opentelemetry/api';
import { recordError, warnFailure } from '../spans.js';

/**
 * One started messaging operation (send, receive, process or settle): its
 * span, the context to run the real work in, and the ways to end it. Ending
 * records the operation's duration metric; it happens once, whichever of
 * `run`, `end` and `fail` gets there first.
 */
export interface MessagingOperation {
  /** The operation's span (non-recording when sampled out; never undefined). */
  readonly span: Span;
  /** The context with {@link MessagingOperation.span} active, to run the work in. */
  readonly context: Context;
  /**
   * Runs `fn` in {@link MessagingOperation.context} and ends the operation when
   * it returns, or when its promise settles. Errors are recorded and rethrown
   * (re-rejected) unchanged.
   */
  run<T>(fn: () => T): T;
  /** Ends the operation as successful (for callback APIs). */
  end(): void;
  /** Ends the operation as failed with `error` (for callback APIs). */
  fail(error: unknown): void;
}

/** What to record when an operation ends; `error` is set when it failed. */
export type OnEnd = (error: { value: unknown } | undefined, durationSeconds: number) => void;

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * The one implementation of {@link MessagingOperation} every operation kind
 * uses. What an operation records when it ends is either an {@link OnEnd}
 * callback or, for the per-message operations, an override of
 * {@link Operation.recordEnd}: one object per operation instead of an
 * object plus a closure.
 */
export class Operation implements MessagingOperation {
  private ended = false;
  // performance.now() is monotonic: a wall-clock step (NTP) must not produce
  // negative or inflated durations.
  private readonly startedAt = performance.now();

  constructor(
    readonly span: Span,
    readonly context: Context,
    private readonly onEnd?: OnEnd,
  ) {}

  run<T>(fn: () => T): T {
    let result: T;
    try {
      result = context.with(this.context, fn);
    } catch (err) {
      this.fail(err);
      throw err;
    }
    if (!isPromiseLike(result)) {
      this.end();
      return result;
    }
    // The returned promise settles with the same value or reason as the original.
    return result.then(
      (value) => {
        this.end();
        return value;
      },
      (err: unknown) => {
        this.fail(err);
        throw err;
      },
    ) as T;
  }

  end(): void {
    this.finish(undefined);
  }

  fail(error: unknown): void {
    this.finish({ value: error });
  }

  /** Records the operation's metrics when it ends; `error` is set when it failed. */
  protected recordEnd(error: { value: unknown } | undefined, durationSeconds: number): void {
    this.onEnd?.(error, durationSeconds);
  }

  private finish(error: { value: unknown } | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const seconds = (performance.now() - this.startedAt) / 1000;
    try {
      if (error) recordError(this.span, error.value);
      this.recordEnd(error, seconds);
    } catch (err) {
      warnFailure('end messaging operation', err);
    }
    try {
      this.span.end();
    } catch (err) {
      warnFailure('end span', err);
    }
  }
}

/**
 * Runs one client call that several operations cover (kafkajs `sendBatch`
 * sends to several topics in one request): `fn` runs in `ctx` (none of the
 * spans is made active, since no single one is the call's parent) and every
 * operation ends when it settles.
 */
export function runOperations<T>(operations: readonly MessagingOperation[], ctx: Context, fn: () => T): T {
  if (operations.length === 1 && operations[0]) return operations[0].run(fn);
  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (err) {
    for (const operation of operations) operation.fail(err);
    throw err;
  }
  if (!isPromiseLike(result)) {
    for (const operation of operations) operation.end();
    return result;
  }
  return result.then(
    (value) => {
      for (const operation of operations) operation.end();
      return value;
    },
    (err: unknown) => {
      for (const operation of operations) operation.fail(err);
      throw err;
    },
  ) as T;
}

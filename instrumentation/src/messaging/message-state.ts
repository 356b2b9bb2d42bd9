/**
 * Per-message state that an adapter keeps for the messages it handed to the
 * application (destination, creation context), for a later settle or
 * helper call on the same message object.
 *
 * Kept in a private class field stamped onto the client's message object
 * (the "constructor return override" idiom) rather than in a WeakMap: a
 * WeakMap insert per message cost about 1 µs of CPU and garbage-collector
 * work on the benchmark machine, a private field about 50 ns. A private
 * field is invisible to the application: not an own key or symbol, not
 * copied by spread or Object.assign, not printed by util.inspect or
 * JSON.stringify. Objects that cannot take one fall back to a WeakMap.
 */
export interface MessageState<T> {
  get(message: object): T | undefined;
  set(message: object, value: T): void;
}

// Returns its argument from the constructor, so a subclass's field
// initialisers run against that object instead of a fresh one.
class Stamp {
  constructor(target: object) {
    return target;
  }
}

/** A new, independent state slot (each call defines its own private field). */
export function messageState<T>(): MessageState<T> {
  const fallback = new WeakMap<object, T>();

  class Slot extends Stamp {
    #value: T | undefined;

    constructor(target: object, value: T) {
      super(target);
      this.#value = value;
    }

    static read(target: object): T | undefined {
      // `in` throws on a primitive; callers may pass anything a user handed them.
      if (typeof target !== 'object' || target === null) return undefined;
      return #value in target ? target.#value : fallback.get(target);
    }

    static write(target: object, value: T): void {
      if (#value in target) {
        target.#value = value;
        return;
      }
      try {
        new Slot(target, value);
      } catch {
        // A future engine may refuse fields on non-extensible objects.
        fallback.set(target, value);
      }
    }
  }

  return { get: (message) => Slot.read(message), set: (message, value) => Slot.write(message, value) };
}

/**
 * Returns a Proxy of `target` where the properties in `overrides` are
 * replaced and everything else is passed through. This is how the wrappers
 * instrument a client without patching it: the original object stays
 * untouched and un-instrumented for anyone else holding it.
 *
 * Pass-through methods are called with the ORIGINAL object as `this`, not the
 * proxy. Clients call their own methods internally (amqplib's sendToQueue
 * calls this.publish); going through the proxy there would create a second
 * span for the same message, and private fields only work on the real object.
 * A method that returns its receiver for chaining (EventEmitter's `on`) gets
 * the proxy back instead, so a chain stays instrumented.
 */
export function delegate<T extends object>(target: T, overrides: Partial<T>): T {
  // One wrapper per original function keeps `proxy.on === proxy.on` true.
  const passThrough = new WeakMap<(...args: unknown[]) => unknown, (...args: unknown[]) => unknown>();
  const proxy: T = new Proxy(target, {
    get(obj, prop) {
      if (Object.hasOwn(overrides, prop)) return (overrides as Record<PropertyKey, unknown>)[prop];
      // Getters, like methods, run against the real object.
      const value: unknown = Reflect.get(obj, prop);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      let wrapped = passThrough.get(method);
      if (!wrapped) {
        wrapped = function (this: unknown, ...args: unknown[]): unknown {
          // Called as a method of the proxy: run it on the real object.
          const self = this === proxy ? obj : this;
          const result = method.apply(self, args);
          return result === obj ? proxy : result;
        };
        passThrough.set(method, wrapped);
      }
      return wrapped;
    },
  });
  return proxy;
}

import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { messageState } from '../src/messaging/message-state.js';

describe('messageState', () => {
  it('keeps a value per message object, and each slot its own', () => {
    const a = messageState<string>();
    const b = messageState<string>();
    const msg = { fields: { deliveryTag: 1 } };
    a.set(msg, 'first');
    b.set(msg, 'other slot');
    expect(a.get(msg)).toBe('first');
    expect(b.get(msg)).toBe('other slot');
    a.set(msg, 'replaced');
    expect(a.get(msg)).toBe('replaced');
    expect(a.get({ fields: { deliveryTag: 1 } })).toBeUndefined();
  });

  it('is invisible to the application: no keys, not copied, not printed', () => {
    const slot = messageState<{ secret: string }>();
    const msg = { content: 'x' };
    slot.set(msg, { secret: 'state' });
    expect(Object.keys(msg)).toEqual(['content']);
    expect(Reflect.ownKeys(msg)).toEqual(['content']);
    expect(JSON.stringify(msg)).toBe('{"content":"x"}');
    expect(inspect(msg, { showHidden: true })).not.toContain('state');
    expect(slot.get({ ...msg })).toBeUndefined();
    expect(slot.get(Object.assign({}, msg))).toBeUndefined();
  });

  it('works on frozen objects and answers undefined for values that are not objects', () => {
    const slot = messageState<number>();
    const frozen = Object.freeze({ id: 1 });
    slot.set(frozen, 42);
    expect(slot.get(frozen)).toBe(42);
    for (const value of [undefined, null, 42, 'msg', true]) {
      expect(slot.get(value as unknown as object)).toBeUndefined();
    }
  });
});

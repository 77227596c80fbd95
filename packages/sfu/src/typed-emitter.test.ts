import { afterEach, describe, expect, it } from 'vitest';
import { TypedEmitter } from './typed-emitter';

type Events = { ping: [number]; done: [] };
class Thing extends TypedEmitter<Events> {
  fire(n: number): boolean {
    return this.emit('ping', n);
  }
}

describe('TypedEmitter', () => {
  const original = TypedEmitter.onListenerError;
  afterEach(() => {
    TypedEmitter.onListenerError = original;
  });

  it('a throwing listener does not stop the others nor escape emit', () => {
    const errors: unknown[] = [];
    TypedEmitter.onListenerError = (err) => errors.push(err);
    const thing = new Thing();
    const seen: number[] = [];
    thing.on('ping', () => {
      throw new Error('boom');
    });
    thing.on('ping', (n) => seen.push(n));
    expect(thing.fire(3)).toBe(true);
    expect(seen).toEqual([3]);
    expect(errors).toHaveLength(1);
  });

  it('once listeners run once and off removes listeners', () => {
    const thing = new Thing();
    const seen: number[] = [];
    const listener = (n: number): void => {
      seen.push(n);
    };
    thing.once('ping', (n) => seen.push(n * 10));
    thing.on('ping', listener);
    thing.fire(1);
    thing.off('ping', listener);
    thing.fire(2);
    expect(seen).toEqual([10, 1]);
    expect(thing.fire(3)).toBe(false);
  });
});

'use client';
// State that changes in the same render as react-query's cache: set within notifyManager.batch
// beside setQueryData calls, both reach the screen together (a plain useState would render apart).
import { notifyManager } from '@tanstack/react-query';
import { useState, useSyncExternalStore } from 'react';

export type BatchedSetter<T> = (update: (current: T) => T) => void;

export function useBatchedState<T>(initial: T): [T, BatchedSetter<T>] {
  const [store] = useState(() => {
    let value = initial;
    const listeners = new Set<() => void>();
    return {
      get: () => value,
      subscribe: (listener: () => void) => {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      // The value changes at once, as cached query data does; subscribers hear of it with the cache's.
      set: ((update) => {
        const next = update(value);
        if (Object.is(next, value)) return;
        value = next;
        notifyManager.schedule(() =>
          listeners.forEach((listener) => {
            listener();
          }),
        );
      }) as BatchedSetter<T>,
    };
  });
  const value = useSyncExternalStore(store.subscribe, store.get, store.get);
  return [value, store.set];
}

'use client';
// The exceptions collected for one rules file, kept in this browser's localStorage so that they
// survive reloads and are shared by every tab of the same Perch.
import { useCallback, useSyncExternalStore } from 'react';
import type { ExceptionEntry } from '@/lib/queries/exceptions';

const STORAGE_KEY = 'perch.exceptions.v1';

export interface CollectedException extends ExceptionEntry {
  id: string;
  /** When it was added, ISO. */
  addedAt: string;
  /** Where its group's alerts ran and their process chain, for a reader of the list. */
  groupLabel?: string;
}

const listeners = new Set<() => void>();
let cachedText: string | null = null;
let cached: CollectedException[] = [];
const EMPTY: CollectedException[] = [];

function read(): CollectedException[] {
  let text: string | null = null;
  try {
    text = window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return EMPTY;
  }
  if (text === cachedText) return cached;
  cachedText = text;
  try {
    const parsed: unknown = text === null ? [] : JSON.parse(text);
    cached = Array.isArray(parsed) ? (parsed as CollectedException[]) : [];
  } catch {
    cached = [];
  }
  return cached;
}

function write(next: CollectedException[]) {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The collection, and how to add to it, remove from it and empty it. */
export function useExceptionCollection() {
  const entries = useSyncExternalStore(subscribe, read, () => EMPTY);
  const add = useCallback((entry: ExceptionEntry, groupLabel?: string) => {
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    write([...read(), { ...entry, id, addedAt: new Date().toISOString(), ...(groupLabel ? { groupLabel } : {}) }]);
  }, []);
  const remove = useCallback((id: string) => write(read().filter((entry) => entry.id !== id)), []);
  const clear = useCallback(() => write([]), []);
  return { entries, add, remove, clear };
}

/** An entry as the rules-file API takes it: without what only the collection keeps. */
export const apiEntry = ({
  id: _id,
  addedAt: _addedAt,
  groupLabel: _label,
  ...entry
}: CollectedException): ExceptionEntry => entry;

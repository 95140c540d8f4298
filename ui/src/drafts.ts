// Forms save drafts into the vault as the person types, so a lock (or a crash) loses
// nothing. Saves are debounced; a pending save is flushed before the form goes away.
import { useEffect, useRef } from "react";
import { api } from "./api";

/** Debounces `save`: the last value wins; `flush()` saves a pending value at once. */
export function debouncedSaver<T>(save: (value: T) => Promise<void> | void, delayMs: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: { value: T } | null = null;
  const run = () => {
    timer = null;
    if (pending) {
      const { value } = pending;
      pending = null;
      void save(value);
    }
  };
  return {
    push(value: T) {
      pending = { value };
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    },
    flush() {
      if (timer) clearTimeout(timer);
      run();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
    },
    get pending() {
      return pending !== null;
    },
  };
}

const inflight = new Set<Promise<unknown>>();

/** Waits for every draft save under way (before a lock on demand). */
export async function settleDrafts(): Promise<void> {
  await Promise.allSettled([...inflight]);
}

function track(p: Promise<unknown>): Promise<void> {
  inflight.add(p);
  return p.then(
    () => void inflight.delete(p),
    () => void inflight.delete(p),
  );
}

/** The delay between the last keystroke and the draft's save. */
export const DRAFT_DELAY_MS = 400;

/**
 * Saves `value` as the draft under `key` whenever it changes (after the first render),
 * while `dirty` is true. The save is flushed when the form unmounts or the key changes.
 */
export function useDraftSaver(key: string, value: unknown, dirty: boolean) {
  const saver = useRef<ReturnType<typeof debouncedSaver<unknown>> | null>(null);
  useEffect(() => {
    const s = debouncedSaver<unknown>((v) => track(api.saveDraft(key, v)), DRAFT_DELAY_MS);
    saver.current = s;
    return () => s.flush();
  }, [key]);
  useEffect(() => {
    if (dirty) saver.current?.push(value);
  }, [value, dirty]);
  return {
    cancel: () => saver.current?.cancel(),
  };
}

// Tells the shell that a person is at the keyboard, at most once per interval. The shell
// keeps the idle clock and locks; this only feeds it.

/** How often to report activity, for an auto-lock after `lockMinutes`. */
export function reportInterval(lockMinutes: number): number {
  const lockMs = lockMinutes * 60_000;
  return Math.max(250, Math.min(10_000, lockMs / 4));
}

/** A throttle: `report()` calls `send` at most once per `intervalMs`. */
export function activityReporter(send: () => void, intervalMs: number, now: () => number = Date.now) {
  let last = -Infinity;
  return {
    report() {
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        send();
      }
    },
  };
}

const EVENTS = ["keydown", "pointerdown", "wheel", "input", "touchstart"] as const;

/** Reports activity on every input event until the returned function is called. */
export function watchActivity(send: () => void, lockMinutes: number): () => void {
  const r = activityReporter(send, reportInterval(lockMinutes));
  const h = () => r.report();
  for (const e of EVENTS) window.addEventListener(e, h, { capture: true, passive: true });
  return () => {
    for (const e of EVENTS) window.removeEventListener(e, h, { capture: true });
  };
}

//! The idle clock behind the auto-lock. Only input from the person (a key, a click, a
//! scroll, a touch or a mouse movement, seen by the shell in the window's own event stream)
//! starts it again: a command or an `activity` call from the page does not, so a script
//! in the webview cannot keep a session unlocked. Long work (an import, a backup, a
//! submission) pauses it, but for at most [`LONG_WORK_BOUND`] since the last input: a
//! loop of long work cannot hold the session open either.

use std::time::{Duration, Instant};

/// The most that long work can hold off the lock after the person's last input.
pub const LONG_WORK_BOUND: Duration = Duration::from_secs(60 * 60);

/// The time since the person's last input, less time spent in long work.
#[derive(Debug, Clone)]
pub struct IdleClock {
    last_input: Instant,
    /// How many long actions run now (they can overlap).
    running: u32,
    /// When the current stretch of long work began (while `running > 0`).
    running_since: Option<Instant>,
    /// Long work since the last input, in stretches that have ended.
    paused: Duration,
}

impl IdleClock {
    /// A clock whose last input is `now`.
    pub fn new(now: Instant) -> Self {
        IdleClock {
            last_input: now,
            running: 0,
            running_since: None,
            paused: Duration::ZERO,
        }
    }

    /// Input from the person at `now`: the clock starts again.
    pub fn input(&mut self, now: Instant) {
        self.last_input = now;
        self.paused = Duration::ZERO;
        if self.running > 0 {
            self.running_since = Some(now);
        }
    }

    /// Long work begins.
    pub fn begin_long_work(&mut self, now: Instant) {
        if self.running == 0 {
            self.running_since = Some(now);
        }
        self.running += 1;
    }

    /// Long work ends (it does not count as input).
    pub fn end_long_work(&mut self, now: Instant) {
        self.running = self.running.saturating_sub(1);
        if self.running == 0
            && let Some(since) = self.running_since.take()
        {
            self.paused += now.saturating_duration_since(since);
        }
    }

    /// Whether long work runs now (for the tests: the shell only asks [`IdleClock::idle`]).
    #[cfg(test)]
    fn busy(&self) -> bool {
        self.running > 0
    }

    /// How long the person has been away, as the auto-lock counts it.
    pub fn idle(&self, now: Instant) -> Duration {
        let running = self
            .running_since
            .map(|s| now.saturating_duration_since(s))
            .unwrap_or_default();
        let paused = (self.paused + running).min(LONG_WORK_BOUND);
        now.saturating_duration_since(self.last_input)
            .saturating_sub(paused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn only_input_starts_the_clock_again() {
        let t0 = Instant::now();
        let mut c = IdleClock::new(t0);
        assert_eq!(c.idle(t0 + 5 * MIN), 5 * MIN);
        c.input(t0 + 5 * MIN);
        assert_eq!(c.idle(t0 + 7 * MIN), 2 * MIN);
    }

    #[test]
    fn long_work_pauses_the_clock_and_its_end_is_not_input() {
        let t0 = Instant::now();
        let mut c = IdleClock::new(t0);
        c.begin_long_work(t0 + MIN);
        assert!(c.busy());
        assert_eq!(c.idle(t0 + 10 * MIN), MIN, "paused while it runs");
        c.end_long_work(t0 + 10 * MIN);
        assert!(!c.busy());
        // One minute before the work, two after: the nine minutes of work do not count,
        // and its end did not start the clock again.
        assert_eq!(c.idle(t0 + 12 * MIN), 3 * MIN);
    }

    #[test]
    fn overlapping_long_work_pauses_once() {
        let t0 = Instant::now();
        let mut c = IdleClock::new(t0);
        c.begin_long_work(t0);
        c.begin_long_work(t0 + MIN);
        c.end_long_work(t0 + 2 * MIN);
        assert!(c.busy(), "one still runs");
        c.end_long_work(t0 + 3 * MIN);
        assert_eq!(c.idle(t0 + 4 * MIN), MIN);
    }

    #[test]
    fn long_work_holds_off_the_lock_for_at_most_the_bound() {
        let t0 = Instant::now();
        let mut c = IdleClock::new(t0);
        c.begin_long_work(t0);
        let later = t0 + LONG_WORK_BOUND + 5 * MIN;
        assert_eq!(c.idle(later), 5 * MIN, "still running, past the bound");
        // A loop of short long works adds up to the same bound.
        let mut c = IdleClock::new(t0);
        let mut t = t0;
        for _ in 0..100 {
            c.begin_long_work(t);
            t += MIN;
            c.end_long_work(t);
        }
        assert_eq!(c.idle(t), t - t0 - LONG_WORK_BOUND);
    }

    #[test]
    fn input_during_long_work_restarts_both() {
        let t0 = Instant::now();
        let mut c = IdleClock::new(t0);
        c.begin_long_work(t0);
        c.input(t0 + 30 * MIN);
        c.end_long_work(t0 + 40 * MIN);
        assert_eq!(c.idle(t0 + 45 * MIN), 5 * MIN);
    }
}

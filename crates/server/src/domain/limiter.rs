//! Failed sign-ins, counted per client address and per account: after too many in a window the
//! key is refused until the window ends. Successful sign-ins are never counted, so a working
//! MoySklad connection is never slowed down by someone else's guessing.
//!
//! In memory, per process: it damps guessing; it is not a cluster-wide lockout.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts failures per key in fixed windows.
#[derive(Debug)]
pub struct FailureLimiter {
    max_failures: u32,
    window: Duration,
    keys: Mutex<HashMap<String, (Instant, u32)>>,
}

impl FailureLimiter {
    /// At most `max_failures` per `window` for each key.
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self {
            max_failures,
            window,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `key` has used up its failures in the current window.
    pub fn is_blocked(&self, key: &str) -> bool {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.get(key).is_some_and(|(start, count)| {
            start.elapsed() < self.window && *count >= self.max_failures
        })
    }

    /// Records a failure of `key`.
    pub fn fail(&self, key: &str) {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if keys.len() > 100_000 {
            // Forget finished windows so the map cannot grow without bound.
            keys.retain(|_, (start, _)| start.elapsed() < self.window);
        }
        let entry = keys.entry(key.to_owned()).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_allowed_failures_and_only_that_key() {
        let limiter = FailureLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(!limiter.is_blocked("ip:1.2.3.4"));
            limiter.fail("ip:1.2.3.4");
        }
        assert!(limiter.is_blocked("ip:1.2.3.4"));
        assert!(!limiter.is_blocked("ip:5.6.7.8"));
    }

    #[test]
    fn a_new_window_starts_clean() {
        let limiter = FailureLimiter::new(1, Duration::from_millis(20));
        limiter.fail("k");
        assert!(limiter.is_blocked("k"));
        std::thread::sleep(Duration::from_millis(30));
        assert!(!limiter.is_blocked("k"));
    }
}

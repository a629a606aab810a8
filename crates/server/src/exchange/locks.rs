//! One lock per key, made on first use and dropped when nobody holds or waits for it: uploads
//! to one batch take turns, in arrival order (tokio's mutex is fair), so no chunk overwrites
//! another and the size limits are checked against what is really stored.
//!
//! In this process only: calls of one batch reaching several instances are not serialized.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OwnedMutexGuard;

/// Locks by key.
#[derive(Debug)]
pub struct KeyedLocks<K> {
    locks: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K> Default for KeyedLocks<K> {
    fn default() -> Self {
        Self {
            locks: Mutex::new(HashMap::new()),
        }
    }
}

/// A held lock; released when dropped.
pub struct KeyGuard<'a, K: Eq + Hash + Clone> {
    owner: &'a KeyedLocks<K>,
    key: K,
    guard: Option<OwnedMutexGuard<()>>,
}

impl<K: Eq + Hash + Clone> KeyedLocks<K> {
    /// Waits for the lock of `key`.
    pub async fn lock(&self, key: K) -> KeyGuard<'_, K> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
            locks.entry(key.clone()).or_default().clone()
        };
        let guard = lock.lock_owned().await;
        KeyGuard {
            owner: self,
            key,
            guard: Some(guard),
        }
    }
}

impl<K: Eq + Hash + Clone> Drop for KeyGuard<'_, K> {
    fn drop(&mut self) {
        drop(self.guard.take());
        let mut locks = self.owner.locks.lock().unwrap_or_else(|e| e.into_inner());
        // Only the map holds it now: nobody waits, forget it.
        if locks
            .get(&self.key)
            .is_some_and(|l| Arc::strong_count(l) == 1)
        {
            locks.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn holders_take_turns_and_the_map_empties() {
        let locks = Arc::new(KeyedLocks::<u32>::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = locks.lock(1).await;
        let mut waiting = Vec::new();
        for i in 0..3 {
            let (locks, order) = (locks.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                let _held = locks.lock(1).await;
                order.lock().unwrap().push(i);
            }));
            tokio::task::yield_now().await;
        }
        assert!(
            order.lock().unwrap().is_empty(),
            "the first holder blocks the rest"
        );
        drop(first);
        for task in waiting {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2], "in arrival order");
        assert!(locks.locks.lock().unwrap().is_empty());
    }
}

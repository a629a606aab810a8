//! Failed sign-ins, limited so that guessing is expensive while the shop's real client is
//! never locked out.
//!
//! The design:
//! - Counts live in the database (`sign_in_failures`), so every instance shares them, a
//!   restart forgets nothing, and each count is one atomic upsert.
//! - An attempt is counted *before* its password is checked and uncounted once it succeeded;
//!   so a burst of parallel guesses from one address gets exactly the allowance checked, and
//!   only failures remain counted.
//! - Refusals are keyed by the client's address within a shop: per address (everything it
//!   tries at this shop) and per account at that address. Per shop, because MoySklad pushes
//!   many shops at once from the same few addresses. Guessing from other addresses therefore never refuses the right
//!   password from the client's own address; MoySklad, which calls from a pool of addresses,
//!   is never refused because of someone else.
//! - Per account, across addresses, failures only slow down: once an account has many
//!   failures in the window, each further attempt on it waits a short delay before its
//!   password is checked. A distributed guesser is slowed; nobody is refused.
//! - Windows are fixed (aligned to their length); rows of finished windows are deleted when
//!   failures are recorded.

use std::time::Duration;

use vitrina_store::{Db, TenantId, now_millis};

use crate::domain::DomainError;

/// The limits of one kind of sign-in (the exchange's, the panel's).
#[derive(Debug, Clone)]
pub struct FailureLimiter {
    scope: &'static str,
    /// Attempts not known to have succeeded, per client address and window.
    pub per_address: i64,
    /// The same, per account at one client address.
    pub per_account_address: i64,
    /// Failures of an account (any address) after which each attempt waits [`Self::delay`].
    pub slow_after: i64,
    /// How long a slowed attempt waits.
    pub delay: Duration,
    /// The window's length.
    pub window: Duration,
}

/// The outcome of a checked attempt, to hand back to [`FailureLimiter::settle`].
#[derive(Debug)]
pub struct Attempt {
    keys: [String; 2],
    account: String,
    window_start: i64,
}

impl FailureLimiter {
    /// The standard limits for `scope` (a word that keeps the kinds' counts apart).
    pub fn new(scope: &'static str) -> Self {
        Self {
            scope,
            per_address: 30,
            per_account_address: 10,
            slow_after: 10,
            delay: Duration::from_secs(1),
            window: Duration::from_secs(15 * 60),
        }
    }

    fn window_start(&self) -> i64 {
        let length = i64::try_from(self.window.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        let now = now_millis();
        now - now.rem_euclid(length)
    }

    /// Counts an attempt on `account` of `tenant` from `client_ip` before its password is
    /// checked. `None`: refused, too many attempts from this address (for this account or at
    /// all). Slowed down first when the account is being guessed from anywhere.
    pub async fn begin(
        &self,
        db: &Db,
        tenant: TenantId,
        account: &str,
        client_ip: &str,
    ) -> Result<Option<Attempt>, DomainError> {
        let scope = self.scope;
        // Whatever was typed, the key stays short and printable.
        let typed: String = account
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_control())
            .take(254)
            .collect();
        let account = format!("{scope}:account:{tenant}:{typed}");
        // Per shop: MoySklad pushes many shops at once from the same few addresses, and a
        // stranger guessing at one shop must not touch another's.
        let address = format!("{scope}:address:{tenant}:{client_ip}");
        let pair = format!("{account}:{client_ip}");
        let window_start = self.window_start();
        if db.count_sign_in_attempt(&address, window_start).await? > self.per_address {
            return Ok(None);
        }
        if db.count_sign_in_attempt(&pair, window_start).await? > self.per_account_address {
            return Ok(None);
        }
        if db.sign_in_failures(&account, window_start).await? >= self.slow_after {
            tokio::time::sleep(self.delay).await;
        }
        Ok(Some(Attempt {
            keys: [address, pair],
            account,
            window_start,
        }))
    }

    /// Records how the attempt ended: a success is uncounted, a failure also counts against
    /// the account (for the slow-down).
    pub async fn settle(
        &self,
        db: &Db,
        attempt: Attempt,
        succeeded: bool,
    ) -> Result<(), DomainError> {
        if succeeded {
            for key in &attempt.keys {
                db.uncount_sign_in_attempt(key).await?;
            }
        } else {
            db.count_sign_in_attempt(&attempt.account, attempt.window_start)
                .await?;
            db.forget_sign_in_failures(attempt.window_start).await?;
        }
        Ok(())
    }
}

//! Password policy and Argon2id hashing.
//!
//! Hashing is deliberately slow (tens of milliseconds), so the async callers run it on the
//! blocking pool instead of stalling the runtime.

use std::collections::HashSet;
use std::sync::OnceLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::RngExt;
use rand::distr::Alphanumeric;

use crate::domain::DomainError;
use crate::i18n::Message;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 8;

/// Passwords that pass the length rule but are the first ones an attacker tries.
const COMMON: &[&str] = &[
    "password",
    "password1",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyui",
    "qwerty123",
    "11111111",
    "iloveyou",
    "admin123",
    "йцукенгш",
];

/// Refuses empty, short and trivially guessable passwords.
/// Longest password accepted, in characters (hashing has a cost per byte).
const MAX_LENGTH: usize = 256;

pub fn check_strength(password: &str) -> Result<(), DomainError> {
    if password.is_empty() {
        return Err(DomainError::Invalid(Message::EmptyPassword));
    }
    crate::domain::input::line("password", password, MAX_LENGTH)?;
    if password.chars().count() < MIN_LENGTH {
        return Err(DomainError::Invalid(Message::PasswordTooShort {
            min: MIN_LENGTH,
        }));
    }
    let distinct: HashSet<char> = password.chars().collect();
    if distinct.len() < 4 || COMMON.contains(&password.to_lowercase().as_str()) {
        return Err(DomainError::Invalid(Message::PasswordTooSimple));
    }
    Ok(())
}

/// Argon2 runs at most this many at once per process: each takes about 19 MB and tens of
/// milliseconds of a core, so a burst of sign-ins (a hundred shops' clients at once, or a
/// stranger's flood) waits its turn instead of taking the memory and every core.
const AT_ONCE: usize = 4;
static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

/// Runs one Argon2 computation on the blocking pool, in turn.
async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DomainError> {
    let _turn = TURNS
        .acquire()
        .await
        .map_err(|e| DomainError::Internal(e.into()))?;
    Ok(tokio::task::spawn_blocking(work)
        .await
        .map_err(anyhow::Error::from)?)
}

/// An Argon2id PHC string for `password`, with a fresh random salt.
pub async fn hash(password: &str) -> Result<String, DomainError> {
    let password = password.to_owned();
    let hashed = in_turn(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
    })
    .await?
    .map_err(|err| anyhow::anyhow!("hashing a password: {err}"))?;
    Ok(hashed)
}

/// Whether `password` matches the PHC string `hash`. A malformed hash matches nothing.
/// A pair this process found matching in the last day is answered from [`Verified`] without
/// Argon2: MoySklad signs in every hour with the same password, and at the top of the hour
/// thousands of shops do at once.
pub async fn verify(password: &str, hash: &str) -> Result<bool, DomainError> {
    let memo = Verified::key(password, hash);
    if Verified::holds(&memo) {
        return Ok(true);
    }
    let (password, hash) = (password.to_owned(), hash.to_owned());
    let matched = in_turn(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await?;
    if matched {
        Verified::remember(memo);
    }
    Ok(matched)
}

/// Password and stored-hash pairs this process verified, each kept a day. Only matches are
/// kept, under a digest keyed by a secret drawn at start, so the memo answers nothing a
/// wrong password could use and reveals nothing after the process ends. The stored hash is
/// part of the key: a new password (a new hash and salt) never matches an old entry.
struct Verified;

/// How long a verified pair is trusted without Argon2.
const VERIFIED_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);
/// Most pairs remembered: one a sign-in account, about 80 bytes each.
const VERIFIED_MAX: usize = 100_000;

type Memo = std::collections::HashMap<[u8; 32], std::time::Instant>;

impl Verified {
    fn memo() -> &'static std::sync::Mutex<Memo> {
        static MEMO: OnceLock<std::sync::Mutex<Memo>> = OnceLock::new();
        MEMO.get_or_init(Default::default)
    }

    fn key(password: &str, hash: &str) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
        let secret = SECRET.get_or_init(|| rand::rng().random());
        let mut digest = Sha256::new();
        digest.update(secret);
        digest.update((hash.len() as u64).to_le_bytes());
        digest.update(hash.as_bytes());
        digest.update(password.as_bytes());
        digest.finalize().into()
    }

    fn holds(key: &[u8; 32]) -> bool {
        let memo = Self::memo().lock().unwrap_or_else(|e| e.into_inner());
        memo.get(key).is_some_and(|at| at.elapsed() < VERIFIED_FOR)
    }

    fn remember(key: [u8; 32]) {
        let mut memo = Self::memo().lock().unwrap_or_else(|e| e.into_inner());
        if memo.len() >= VERIFIED_MAX {
            memo.retain(|_, at| at.elapsed() < VERIFIED_FOR);
            if memo.len() >= VERIFIED_MAX {
                memo.clear();
            }
        }
        memo.insert(key, std::time::Instant::now());
    }
}

/// Spends the time of one verification without any account to verify against, so that a
/// wrong email costs as much as a wrong password and reveals nothing.
pub async fn verify_nothing(password: &str) -> Result<(), DomainError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let password = password.to_owned();
    in_turn(move || {
        let dummy = DUMMY.get_or_init(|| {
            let hashed = Argon2::default().hash_password(generate().as_bytes());
            hashed.map(|h| h.to_string()).unwrap_or_default()
        });
        let _ = Argon2::default().verify_password(password.as_bytes(), dummy.as_str());
    })
    .await
}

/// A random 20-character password of letters and digits (about 119 bits).
pub fn generate() -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_verified_pair_is_remembered_and_nothing_else() {
        let stored = hash("склад-пароль-2026").await.unwrap();
        assert!(!Verified::holds(&Verified::key(
            "склад-пароль-2026",
            &stored
        )));
        assert!(!verify("склад-пароль-2027", &stored).await.unwrap());
        assert!(
            !Verified::holds(&Verified::key("склад-пароль-2027", &stored)),
            "no misses kept"
        );
        assert!(verify("склад-пароль-2026", &stored).await.unwrap());
        assert!(Verified::holds(&Verified::key(
            "склад-пароль-2026",
            &stored
        )));
        assert!(
            verify("склад-пароль-2026", &stored).await.unwrap(),
            "answered from the memo"
        );
        // The same password under a new hash (it was set again) is verified afresh.
        let renewed = hash("склад-пароль-2026").await.unwrap();
        assert!(!Verified::holds(&Verified::key(
            "склад-пароль-2026",
            &renewed
        )));
        assert!(!verify("склад-пароль-2027", &renewed).await.unwrap());
    }

    #[test]
    fn refuses_weak_passwords() {
        let refused = |p: &str| check_strength(p).unwrap_err().message();
        assert_eq!(refused(""), Message::EmptyPassword);
        assert_eq!(
            refused("Ab1!"),
            Message::PasswordTooShort { min: MIN_LENGTH }
        );
        assert_eq!(refused("aaaaaaaaaaaa"), Message::PasswordTooSimple);
        assert_eq!(refused("Password1"), Message::PasswordTooSimple);
        assert!(check_strength("склад-пароль-2026").is_ok());
        assert!(check_strength(&generate()).is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hashed = hash("склад-пароль-2026").await.unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("склад-пароль-2026", &hashed).await.unwrap());
        assert!(!verify("склад-пароль-2027", &hashed).await.unwrap());
        assert!(!verify("склад-пароль-2026", "not a hash").await.unwrap());
        assert_ne!(
            hashed,
            hash("склад-пароль-2026").await.unwrap(),
            "salts differ"
        );
    }
}

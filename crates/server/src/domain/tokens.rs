//! Session tokens: random, handed to the client once; only their hash is stored.

use rand::RngExt;
use sha2::{Digest, Sha256};

/// A new random token: 32 bytes as 64 hex digits (safe in cookies and 1C's session lines).
pub fn new_token() -> String {
    let mut rng = rand::rng();
    (0..32)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

/// What the database keeps of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_hash_of_the_token_is_stored() {
        let token = new_token();
        assert_eq!(token.len(), 64);
        assert_ne!(new_token(), token, "tokens are random");
        let hash = token_hash(&token);
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, token);
        assert_eq!(hash, token_hash(&token));
    }
}

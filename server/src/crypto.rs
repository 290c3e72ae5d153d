//! Secrets at rest: provider API keys are stored encrypted with AES-256-GCM as
//! `enc:v1:<nonce b64>:<ciphertext b64>`, with a random 96-bit nonce per value.
//!
//! The key comes from `STORAGE_ENCRYPTION_KEY`: 64 hex characters are used as the 32 key
//! bytes (that is what OmniRoute generates); anything else a user sets is hashed with SHA-256
//! into 32 bytes. GCM authenticates the ciphertext, so a wrong key or a modified value fails
//! to decrypt instead of yielding garbage.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;

const PREFIX: &str = "enc:v1:";
const NONCE_LEN: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the stored value is not in the enc:v1 format")]
    Malformed,
    #[error("the stored value cannot be decrypted with this STORAGE_ENCRYPTION_KEY (the key changed, or the value was modified)")]
    WrongKeyOrTampered,
    #[error("encryption failed")]
    Encrypt,
}

/// Encrypts and decrypts stored secrets with one key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(<key redacted>)")
    }
}

impl SecretBox {
    /// A box keyed by `STORAGE_ENCRYPTION_KEY` (see the module docs).
    pub fn new(configured_key: &str) -> Self {
        let text = configured_key.trim();
        let mut key = [0u8; 32];
        match hex::decode(text) {
            Ok(bytes) if bytes.len() == 32 => key.copy_from_slice(&bytes),
            _ => {
                use sha2::{Digest, Sha256};
                key.copy_from_slice(&Sha256::digest(text.as_bytes()));
            }
        }
        let cipher = Aes256Gcm::new(&key.into());
        Self { cipher }
    }

    /// `enc:v1:<nonce>:<ciphertext>` of `plaintext`; a fresh random nonce every call.
    pub fn encrypt(&self, plaintext: &str) -> Result<String, CryptoError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| CryptoError::Encrypt)?;
        Ok(format!(
            "{PREFIX}{}:{}",
            B64.encode(nonce),
            B64.encode(ciphertext)
        ))
    }

    pub fn decrypt(&self, stored: &str) -> Result<String, CryptoError> {
        let rest = stored.strip_prefix(PREFIX).ok_or(CryptoError::Malformed)?;
        let (nonce, ciphertext) = rest.split_once(':').ok_or(CryptoError::Malformed)?;
        let nonce = B64.decode(nonce).map_err(|_| CryptoError::Malformed)?;
        let ciphertext = B64.decode(ciphertext).map_err(|_| CryptoError::Malformed)?;
        if nonce.len() != NONCE_LEN {
            return Err(CryptoError::Malformed);
        }
        let plaintext = self
            .cipher
            .decrypt(Nonce::from_slice(&nonce), ciphertext.as_slice())
            .map_err(|_| CryptoError::WrongKeyOrTampered)?;
        String::from_utf8(plaintext).map_err(|_| CryptoError::WrongKeyOrTampered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    #[test]
    fn round_trip_with_a_fresh_nonce_each_time() {
        let b = SecretBox::new(HEX_KEY);
        let one = b.encrypt("sk-secret-1234").unwrap();
        let two = b.encrypt("sk-secret-1234").unwrap();
        assert!(one.starts_with("enc:v1:"), "{one}");
        assert!(!one.contains("sk-secret"), "{one}");
        assert_ne!(one, two, "nonces must differ");
        assert_eq!(b.decrypt(&one).unwrap(), "sk-secret-1234");
        assert_eq!(b.decrypt(&two).unwrap(), "sk-secret-1234");
        assert_eq!(b.decrypt(&b.encrypt("").unwrap()).unwrap(), "");
    }

    #[test]
    fn a_modified_value_is_detected() {
        let b = SecretBox::new(HEX_KEY);
        let stored = b.encrypt("sk-secret-1234").unwrap();
        let (head, ct) = stored.rsplit_once(':').unwrap();
        let mut bytes = B64.decode(ct).unwrap();
        bytes[0] ^= 1;
        let tampered = format!("{head}:{}", B64.encode(bytes));
        assert_eq!(
            b.decrypt(&tampered).unwrap_err(),
            CryptoError::WrongKeyOrTampered
        );
        assert_eq!(
            b.decrypt("sk-plaintext").unwrap_err(),
            CryptoError::Malformed
        );
        assert_eq!(
            b.decrypt("enc:v1:!!:??").unwrap_err(),
            CryptoError::Malformed
        );
        assert_eq!(
            b.decrypt("enc:v1:AAAA:AAAA").unwrap_err(),
            CryptoError::Malformed
        );
    }

    #[test]
    fn another_key_cannot_decrypt() {
        let stored = SecretBox::new(HEX_KEY).encrypt("sk-secret-1234").unwrap();
        let other = SecretBox::new(&HEX_KEY.replace('0', "1"));
        assert_eq!(
            other.decrypt(&stored).unwrap_err(),
            CryptoError::WrongKeyOrTampered
        );
    }

    #[test]
    fn a_non_hex_key_is_hashed_and_stable() {
        let stored = SecretBox::new("my own passphrase").encrypt("sk-x").unwrap();
        assert_eq!(
            SecretBox::new("my own passphrase")
                .decrypt(&stored)
                .unwrap(),
            "sk-x"
        );
        assert!(SecretBox::new("my other passphrase")
            .decrypt(&stored)
            .is_err());
        // 64 hex characters are the key itself, not a passphrase.
        let raw = SecretBox::new(HEX_KEY).encrypt("k").unwrap();
        assert!(SecretBox::new(&HEX_KEY.to_uppercase())
            .decrypt(&raw)
            .is_ok());
    }
}

//! Signed checkpoints: the audit chain's head, signed with ed25519 by a key
//! the 情報セキュリティ管理者 keeps outside the register.
//!
//! A checkpoint is a text note in the manner of a transparency log's
//! checkpoint: four lines of body, an empty line, and one signature line.
//!
//! ```text
//! daicho.db                                   origin: the register's path or a chosen name
//! 135                                         size: the number of audit entries
//! 3f5c…(64 hex digits)                        head: the last entry's hash
//! 2026-11-25T09:30:00Z                        time of signing (UTC)
//!
//! — daicho 1a2b3c4d 9e8f…(128 hex digits)     key id and ed25519 signature of the body
//! ```
//!
//! The signature covers the body's bytes, each of its four lines ended by a
//! line feed. The key id is the first four bytes of the SHA-256 of the
//! public key, in hex. Key files are one line each:
//! `daicho-ed25519-private <64 hex digits of the seed>` (written 0600) and
//! `daicho-ed25519-public <64 hex digits>`.

use std::io::Write as _;
use std::path::Path;

use ed25519_dalek::{Signature, Signer};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::audit::Head;
use crate::error::{Error, Result};

const PRIVATE_TAG: &str = "daicho-ed25519-private";
const PUBLIC_TAG: &str = "daicho-ed25519-public";
const SIGNATURE_PREFIX: &str = "— daicho ";

/// A private (signing) key. Its `Debug` shows only the key id.
pub struct SigningKey {
    inner: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.public_key().key_id())
    }
}

/// A public (verifying) key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: ed25519_dalek::VerifyingKey,
}

/// A checkpoint: which register (its origin), its audit head, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The register's path, or a name chosen for it.
    pub origin: String,
    /// The audit chain's head.
    pub head: Head,
    /// When it was signed.
    pub time: Timestamp,
}

fn key_error(
    what: &'static str,
    path: &Path,
    ja: impl Into<String>,
    en: impl Into<String>,
) -> Error {
    Error::Checkpoint {
        what,
        path: path.to_owned(),
        reason: crate::text::Localized::new(ja, en),
    }
}

/// Reads a one-line key file `TAG HEX` into its 32 bytes.
fn read_key_file(path: &Path, what: &'static str, tag: &str) -> Result<[u8; 32]> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        action: "read",
        path: path.to_owned(),
        source,
    })?;
    let hex_text = text
        .trim()
        .strip_prefix(tag)
        .map(str::trim)
        .ok_or_else(|| {
            key_error(
                what,
                path,
                format!("`{tag}` で始まっていません"),
                format!("it does not start with `{tag}`"),
            )
        })?;
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex_text, &mut bytes).map_err(|_| {
        key_error(
            what,
            path,
            "鍵が 16 進 64 桁ではありません",
            "the key is not 64 hex digits",
        )
    })?;
    Ok(bytes)
}

/// Writes a new file with `contents`, never replacing one; `private` files
/// are readable and writable by their owner only.
fn write_new(path: &Path, contents: &str, private: bool) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let io = |source: std::io::Error| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            Error::AlreadyExists {
                path: path.to_owned(),
            }
        } else {
            Error::Io {
                action: "write",
                path: path.to_owned(),
                source,
            }
        }
    };
    let mut file = options.open(path).map_err(io)?;
    file.write_all(contents.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io)
}

impl SigningKey {
    /// A new key from the operating system's random numbers.
    pub fn generate() -> Result<SigningKey> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| Error::Io {
            action: "get random numbers for",
            path: "a new key".into(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Ok(SigningKey {
            inner: ed25519_dalek::SigningKey::from_bytes(&seed),
        })
    }

    /// Reads a private key file.
    pub fn read(path: impl AsRef<Path>) -> Result<SigningKey> {
        let seed = read_key_file(path.as_ref(), "private key", PRIVATE_TAG)?;
        Ok(SigningKey {
            inner: ed25519_dalek::SigningKey::from_bytes(&seed),
        })
    }

    /// Writes the key to a new file, readable and writable by its owner only.
    pub fn write_new(&self, path: impl AsRef<Path>) -> Result<()> {
        let text = format!("{PRIVATE_TAG} {}\n", hex::encode(self.inner.to_bytes()));
        write_new(path.as_ref(), &text, true)
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            inner: self.inner.verifying_key(),
        }
    }
}

impl PublicKey {
    /// Reads a public key file.
    pub fn read(path: impl AsRef<Path>) -> Result<PublicKey> {
        let path = path.as_ref();
        let bytes = read_key_file(path, "public key", PUBLIC_TAG)?;
        let inner = ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|_| {
            key_error(
                "public key",
                path,
                "鍵が ed25519 の点ではありません",
                "the key is not an ed25519 point",
            )
        })?;
        Ok(PublicKey { inner })
    }

    /// Writes the key to a new file.
    pub fn write_new(&self, path: impl AsRef<Path>) -> Result<()> {
        let text = format!("{PUBLIC_TAG} {}\n", hex::encode(self.inner.to_bytes()));
        write_new(path.as_ref(), &text, false)
    }

    /// The key id: the first four bytes of the key's SHA-256, in hex.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.inner.to_bytes())[..4])
    }
}

impl Checkpoint {
    /// A checkpoint of `head` made now; the origin must be one line of
    /// printable text.
    pub fn new(origin: &str, head: Head) -> Result<Checkpoint> {
        let origin = origin.trim();
        if origin.is_empty() || origin.chars().any(char::is_control) {
            return Err(Error::invalid(
                "origin",
                origin,
                "発行元は制御文字のない 1 行で書きます",
                "an origin is one line of printable text",
            ));
        }
        Ok(Checkpoint {
            origin: origin.to_owned(),
            head,
            time: Timestamp::now()
                .round(jiff::Unit::Second)
                .unwrap_or_else(|_| Timestamp::now()),
        })
    }

    /// The signed body: origin, size, head hash and time, one a line.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}\n",
            self.origin,
            self.head.entries,
            hex::encode(self.head.hash),
            self.time
        )
    }

    /// The checkpoint's text, signed with `key`.
    pub fn sign(&self, key: &SigningKey) -> String {
        let body = self.body();
        let signature = key.inner.sign(body.as_bytes());
        format!(
            "{body}\n{SIGNATURE_PREFIX}{} {}\n",
            key.public_key().key_id(),
            hex::encode(signature.to_bytes())
        )
    }

    /// Signs the checkpoint with `key` and writes it to a new file (never
    /// replacing one).
    pub fn sign_to(&self, key: &SigningKey, path: impl AsRef<Path>) -> Result<()> {
        write_new(path.as_ref(), &self.sign(key), false)
    }

    /// Reads a checkpoint file and checks its signature with `key`.
    pub fn read(path: impl AsRef<Path>, key: &PublicKey) -> Result<Checkpoint> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            action: "read",
            path: path.to_owned(),
            source,
        })?;
        Checkpoint::verify(&text, key, path)
    }

    /// Parses a checkpoint's text (read from `path`) and checks its
    /// signature with `key`.
    pub fn verify(text: &str, key: &PublicKey, path: &Path) -> Result<Checkpoint> {
        let bad = |ja: &str, en: &str| key_error("checkpoint", path, ja, en);
        let (body, signature_line) = text.split_once("\n\n").ok_or_else(|| {
            bad(
                "署名の前に空行がありません",
                "it has no empty line before its signature",
            )
        })?;
        let body = format!("{body}\n");
        let lines: Vec<&str> = body.lines().collect();
        let [origin, size, hash, time] = lines.as_slice() else {
            return Err(bad(
                "本体が 4 行（発行元、記録数、ヘッド、日時）ではありません",
                "its body is not four lines (origin, size, head, time)",
            ));
        };
        let rest = signature_line
            .trim_end_matches('\n')
            .strip_prefix(SIGNATURE_PREFIX)
            .ok_or_else(|| {
                bad(
                    "署名の行が `— daicho` で始まっていません",
                    "its signature line does not start with `— daicho`",
                )
            })?;
        let (key_id, signature) = rest.split_once(' ').ok_or_else(|| {
            bad(
                "署名の行に鍵の ID がありません",
                "its signature line has no key id",
            )
        })?;
        if key_id != key.key_id() {
            let given = key.key_id();
            return Err(bad(
                &format!(
                    "鍵 `{key_id}` で署名されています。指定の公開鍵（`{given}`）ではありません"
                ),
                &format!(
                    "it was signed by key `{key_id}`, not by the public key given (`{given}`)"
                ),
            ));
        }
        let mut bytes = [0u8; 64];
        hex::decode_to_slice(signature, &mut bytes).map_err(|_| {
            bad(
                "署名が 16 進 128 桁ではありません",
                "its signature is not 128 hex digits",
            )
        })?;
        key.inner
            .verify_strict(body.as_bytes(), &Signature::from_bytes(&bytes))
            .map_err(|_| {
                bad(
                    "署名が公開鍵で検証できません",
                    "the signature does not verify with the public key",
                )
            })?;
        let head: Head = format!("{size}:{hash}").parse().map_err(|_| {
            bad(
                "記録数かヘッドの形が正しくありません",
                "its size or head is malformed",
            )
        })?;
        Ok(Checkpoint {
            origin: (*origin).to_owned(),
            head,
            time: time
                .parse()
                .map_err(|_| bad("日時の形が正しくありません", "its time is malformed"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint() -> Checkpoint {
        Checkpoint::new(
            "registers/minato.db",
            format!("3:{}", "5f".repeat(32)).parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_signed_checkpoint_verifies_with_its_key_only() {
        let key = SigningKey::generate().unwrap();
        let other = SigningKey::generate().unwrap();
        let checkpoint = checkpoint();
        let text = checkpoint.sign(&key);
        let path = Path::new("checkpoint.txt");
        assert_eq!(
            Checkpoint::verify(&text, &key.public_key(), path).unwrap(),
            checkpoint
        );
        let err = Checkpoint::verify(&text, &other.public_key(), path).unwrap_err();
        assert!(err.to_string().contains("signed by key"), "{err}");

        // Another size under the same signature.
        let tampered = text.replacen("\n3\n", "\n2\n", 1);
        let err = Checkpoint::verify(&tampered, &key.public_key(), path).unwrap_err();
        assert!(
            err.to_string()
                .contains("the signature does not verify with the public key"),
            "{err}"
        );
    }

    #[test]
    fn keys_round_trip_through_their_files_and_the_private_one_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::generate().unwrap();
        let (private, public) = (dir.path().join("key"), dir.path().join("key.pub"));
        key.write_new(&private).unwrap();
        key.public_key().write_new(&public).unwrap();
        assert_eq!(
            SigningKey::read(&private).unwrap().public_key(),
            key.public_key()
        );
        assert_eq!(PublicKey::read(&public).unwrap(), key.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&private).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let err = key.write_new(&private).unwrap_err();
        assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
        assert!(
            !format!("{key:?}").contains(&hex::encode(key.inner.to_bytes())),
            "Debug shows no secret"
        );
    }

    #[test]
    fn an_origin_is_one_printable_line() {
        let err = Checkpoint::new("a\nb", Head::EMPTY).unwrap_err();
        assert!(err.to_string().contains("origin"), "{err}");
    }
}

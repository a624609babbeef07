//! Asset ids and names: validated newtypes.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

use crate::error::Error;

/// The id of an asset: a UUID, version 7 (time ordered) when daicho makes it;
/// any UUID is accepted on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetId(Uuid);

impl AssetId {
    /// A new, time-ordered id.
    pub fn generate() -> Self {
        AssetId(Uuid::now_v7())
    }

    /// Wraps a UUID. The nil UUID is refused, as a spreadsheet's empty default.
    pub fn from_uuid(uuid: Uuid) -> Result<Self, Error> {
        if uuid.is_nil() {
            return Err(Error::invalid(
                "id",
                uuid.to_string(),
                "空の UUID（すべて 0）は資産の ID になりません",
                "the nil UUID is not an asset id",
            ));
        }
        Ok(AssetId(uuid))
    }

    /// The UUID.
    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }

    /// The 16 bytes of the UUID, as stored.
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    /// The id whose 16 stored bytes these are; `None` for a wrong length.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Uuid::from_slice(bytes).ok().map(AssetId)
    }
}

impl fmt::Display for AssetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for AssetId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let trimmed = s.trim();
        let uuid = Uuid::parse_str(trimmed).map_err(|_| {
            Error::invalid(
                "id",
                s,
                "UUID ではありません（`0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60` の形で書きます）",
                "not a UUID (expected the form `0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60`)",
            )
        })?;
        AssetId::from_uuid(uuid).map_err(|_| {
            Error::invalid(
                "id",
                s,
                "空の UUID（すべて 0）は資産の ID になりません",
                "the nil UUID is not an asset id",
            )
        })
    }
}

/// The name of an asset: trimmed, not empty, no control characters but line
/// breaks and tabs are refused too (a name is one line).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetName(String);

impl AssetName {
    /// Validates a name.
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        let trimmed = name.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid(
                "name",
                name,
                "資産名が空です",
                "a name must not be empty",
            ));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(Error::invalid(
                "name",
                name,
                "資産名は制御文字のない 1 行で書きます",
                "a name must be one line without control characters",
            ));
        }
        if trimmed.len() == name.len() {
            Ok(AssetName(name))
        } else {
            Ok(AssetName(trimmed.to_owned()))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AssetName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for AssetName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for AssetName {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        AssetName::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = AssetId::generate();
        assert_eq!(id.to_string().parse::<AssetId>().unwrap(), id);
        assert_eq!(id.as_uuid().get_version_num(), 7);
    }

    #[test]
    fn ids_accept_any_uuid_form_but_nil() {
        let id: AssetId = " 0190F5A2-7C4E-7D3A-9B1E-2F6C8A4D5E60 ".parse().unwrap();
        assert_eq!(id.to_string(), "0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60");
        assert!(
            "00000000-0000-0000-0000-000000000000"
                .parse::<AssetId>()
                .is_err()
        );
        assert!("住基".parse::<AssetId>().is_err());
    }

    #[test]
    fn names_are_trimmed_and_not_empty() {
        assert_eq!(AssetName::new("  住民記録 ").unwrap().as_str(), "住民記録");
        assert!(AssetName::new(" \u{3000} ").is_err());
        assert!(AssetName::new("a\nb").is_err());
    }
}

//! Whether people other than its owner may read or write a register file:
//! the library creates registers owner-only (`0600`), but a file copied,
//! restored by hand or made under another umask may be open to the group or
//! the world. The library says so; the doors warn.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::mynumber::Masked;
use crate::register::Register;

/// A register file that its group or other users may read or write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionsWarning {
    /// The register file.
    pub path: PathBuf,
    /// Its permission bits, e.g. `0o644`.
    pub mode: u32,
}

impl fmt::Display for PermissionsWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = match (self.mode & 0o060 != 0, self.mode & 0o006 != 0) {
            (true, true) => "its group and other users",
            (true, false) => "its group",
            _ => "other users",
        };
        write!(
            f,
            "the register `{}` can be read or written by {who} (mode {:04o}); make it owner-only \
             (chmod 600)",
            Masked(self.path.display()),
            self.mode
        )
    }
}

impl PermissionsWarning {
    /// The warning in `lang`; `Display` is the English one.
    #[must_use]
    pub fn message(&self, lang: crate::text::Lang) -> String {
        if lang != crate::text::Lang::Ja {
            return self.to_string();
        }
        let who = match (self.mode & 0o060 != 0, self.mode & 0o006 != 0) {
            (true, true) => "グループとほかのユーザー",
            (true, false) => "グループ",
            _ => "ほかのユーザー",
        };
        format!(
            "台帳 `{}` は{who}が読み書きできます（モード {:04o}）。所有者だけにしてください（chmod 600）",
            Masked(self.path.display()),
            self.mode
        )
    }
}

impl Register {
    /// Says when the register's file may be read or written by its group or
    /// other users (any of the permission bits `0o066`); `None` when it is
    /// owner-only, in memory, or cannot be looked at.
    ///
    /// On Windows this is always `None`: files there have access control
    /// lists, not permission bits, and the library does not read them.
    pub fn permissions_warning(&self) -> Option<PermissionsWarning> {
        let path = self.path()?;
        let mode = mode(path)?;
        (mode & 0o066 != 0).then(|| PermissionsWarning {
            path: path.to_owned(),
            mode,
        })
    }
}

#[cfg(unix)]
fn mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(path).ok()?;
    Some(metadata.permissions().mode() & 0o7777)
}

#[cfg(not(unix))]
fn mode(_path: &Path) -> Option<u32> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;
    use crate::policy::Policy;

    #[test]
    fn a_register_open_to_others_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(Register::create(&path, &Policy::niigata()).unwrap());
        let register = Register::open(&path).unwrap();
        assert_eq!(register.permissions_warning(), None);
        for (mode, who) in [
            (0o640, "its group"),
            (0o604, "other users"),
            (0o666, "its group and other users"),
            (0o620, "its group"),
        ] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let warning = register.permissions_warning().unwrap();
            assert_eq!(warning.mode, mode);
            assert!(
                warning.to_string().contains(&format!(
                    "can be read or written by {who} (mode 0{mode:o}); make it owner-only"
                )),
                "{warning}"
            );
        }
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(register.permissions_warning(), None);
        assert_eq!(
            crate::test_backend::register(&Policy::niigata())
                .unwrap()
                .permissions_warning(),
            None
        );
    }
}

//! Backup and restore through SQLite's online backup API.
//!
//! A backup copies one consistent snapshot of the register while other
//! processes go on writing to it (in WAL mode a reader never blocks a
//! writer). The copy is written beside its destination under a temporary
//! name, created readable and writable by its owner only, checked, synced,
//! and only then given its name, so that a file at the destination is always
//! a whole backup. A restore copies a checked backup into a register file
//! through SQLite too, so that processes that have the register open see
//! either the old contents or the restored ones, never a mix.
//!
//! A backup is verified in full ([`Register::verify`]) before it is called
//! verified, and after its name is given it is checked to be the very file
//! verified (the same inode) with the same audit head. A restore appends an
//! audit entry naming the head it replaced, so that a rollback shows in
//! the log, and leaves the register readable by its owner only.

use std::path::{Path, PathBuf};

use crate::audit::{Action, Appender, Change, Head};
use crate::error::{Error, Result};
use crate::register::{Register, Verification};
use crate::store::{self, Db};

impl Register {
    /// Writes a copy of the register to a new file at `dest` and checks it.
    ///
    /// The copy is one consistent snapshot, taken with SQLite's online backup
    /// API: other processes may write to the register meanwhile. The file is
    /// created readable and writable by its owner only, and appears at `dest`
    /// only when it is complete; an existing file is never overwritten.
    /// The copy is a single self-contained file (no `-wal` beside it).
    ///
    /// Returns the result of [`Register::verify`] run on the copy: a register
    /// that is damaged gives a damaged copy, and the caller decides what that means.
    pub fn backup(&self, dest: impl AsRef<Path>) -> Result<Verification> {
        let dest = dest.as_ref();
        if dest.exists() {
            return Err(Error::AlreadyExists {
                path: dest.to_owned(),
            });
        }
        let partial = partial_path(dest);
        store::create_file(&partial)?;
        let identity = FileIdentity::of(&partial);
        let result = self.write_copy(&partial).and_then(|verification| {
            publish(&partial, dest)?;
            check_published(dest, identity.as_ref(), verification.head())?;
            Ok(verification)
        });
        // After `publish` the copy is also at `dest`; the temporary name goes either way.
        let _ = std::fs::remove_file(&partial);
        result
    }

    /// Copies the register into the empty file at `path`, then checks the copy.
    fn write_copy(&self, path: &Path) -> Result<Verification> {
        let copy = self.db().copy_to(path)?;
        let copy = Register::new(copy, self.policy().clone(), Some(path.to_owned()));
        let verification = copy.verify()?;
        drop(copy);
        store::sync_file(path)?;
        Ok(verification)
    }

    /// Restores a backup made by [`Register::backup`] into the register file
    /// `dest`, and opens it.
    ///
    /// The backup must be a daicho register that passes [`Register::verify`]
    /// (database integrity, links, audit chain); otherwise nothing is written.
    /// An existing file at `dest` is replaced only when `overwrite` is true,
    /// and then through SQLite, so that other processes that have it open see
    /// the old register or the restored one, never a mix. The register's
    /// history becomes the backup's history, whose hash chain verifies.
    pub fn restore(
        backup: impl AsRef<Path>,
        dest: impl AsRef<Path>,
        overwrite: bool,
    ) -> Result<Register> {
        Register::restore_as(backup, dest, overwrite, "unknown")
    }

    /// [`Register::restore`], recording `actor` in the `restore` entry it
    /// appends: the entry names the head and the number of entries of the
    /// register it replaced (none for a new file), so that a rollback to an
    /// older backup shows in the log. The register is left readable and
    /// writable by its owner only.
    pub fn restore_as(
        backup: impl AsRef<Path>,
        dest: impl AsRef<Path>,
        overwrite: bool,
        actor: &str,
    ) -> Result<Register> {
        let (backup, dest) = (backup.as_ref(), dest.as_ref());
        // Refused before any file is looked for under the URL's name.
        if store::is_server_url(dest) {
            return Err(store::no_restore_onto_server());
        }
        let mut snapshot = read_backup(backup)?;
        if dest.exists() && !overwrite {
            return Err(Error::AlreadyExists {
                path: dest.to_owned(),
            });
        }
        let replaced = replaced_head(dest);
        log_restore(&mut snapshot, actor, replaced)?;
        if dest.exists() {
            match snapshot.overwrite(dest) {
                Err(Error::Corrupt { .. } | Error::NotARegister { .. }) => {
                    // Not an SQLite file at all: no process can be using it as a register.
                    for suffix in ["", "-wal", "-shm", "-journal"] {
                        let mut path = dest.as_os_str().to_owned();
                        path.push(suffix);
                        remove_if_exists(Path::new(&path))?;
                    }
                    snapshot.create_copy(dest)?;
                }
                other => other?,
            }
        } else {
            snapshot.create_copy(dest)?;
        }
        owner_only(dest)?;
        Register::open(dest)
    }
}

/// The head of the register a restore is about to replace, if it is one.
fn replaced_head(dest: &Path) -> Option<Head> {
    if !dest.exists() {
        return None;
    }
    let head = Register::open_read_only(dest)
        .and_then(|register| register.head())
        .or_else(|_| {
            let (db, _) = Db::read_into_memory(dest)?;
            Ok::<_, Error>(
                db.audit_head()?
                    .map_or(Head::EMPTY, |(entries, hash)| Head { entries, hash }),
            )
        });
    head.ok()
}

/// Appends the `restore` entry to the backup about to be restored.
fn log_restore(snapshot: &mut Db, actor: &str, replaced: Option<Head>) -> Result<()> {
    snapshot.write(|db| {
        let mut log = Appender::start(db, actor, store::now())?;
        let record = serde_json::json!({
            "backup_head": log.head().to_string(),
            "replaced_entries": replaced.map(|h| h.entries),
            "replaced_head": replaced.map(|h| h.to_string()),
        })
        .to_string();
        log.append(
            db,
            &Change {
                action: Action::Restore,
                asset_id: None,
                related_id: None,
                before: None,
                after: Some(&record),
            },
        )
    })
}

/// Leaves a restored register, and its WAL and shared-memory files,
/// readable and writable by its owner only, whatever mode it had.
#[cfg(unix)]
fn owner_only(dest: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for suffix in ["", "-wal", "-shm"] {
        let mut path = dest.as_os_str().to_owned();
        path.push(suffix);
        let path = PathBuf::from(path);
        match std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
            Err(source) if suffix.is_empty() || source.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::Io {
                    action: "make owner-only",
                    path,
                    source,
                });
            }
            _ => {}
        }
    }
    Ok(())
}

// Windows: the file keeps the ACL its directory gives (SECURITY.md).
#[cfg(not(unix))]
#[expect(clippy::unnecessary_wraps, reason = "the Unix version can fail")]
fn owner_only(_dest: &Path) -> Result<()> {
    Ok(())
}

/// What identifies a file: its device and inode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileIdentity {
    device: u64,
    inode: u64,
}

impl FileIdentity {
    #[cfg(unix)]
    fn of(path: &Path) -> Option<FileIdentity> {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path).ok().map(|m| FileIdentity {
            device: m.dev(),
            inode: m.ino(),
        })
    }

    #[cfg(not(unix))]
    fn of(_path: &Path) -> Option<FileIdentity> {
        None
    }
}

/// Checks that the file now at `dest` is the copy that was verified: the
/// same inode as the temporary file created for it, and the same audit head.
/// Anything else (a file swapped in under the temporary name before it was
/// published) is removed from `dest` and refused.
fn check_published(dest: &Path, identity: Option<&FileIdentity>, head: Head) -> Result<()> {
    let swapped = |what: &str| Error::Corrupt {
        what: format!(
            "the backup published at `{}` is not the copy that was verified ({what})",
            dest.display()
        ),
    };
    let published = FileIdentity::of(dest);
    if identity.is_some() && published.as_ref() != identity {
        let _ = std::fs::remove_file(dest);
        return Err(swapped("another file"));
    }
    let found = Register::open_read_only(dest).and_then(|copy| copy.head());
    if found.as_ref().ok() != Some(&head) {
        let _ = std::fs::remove_file(dest);
        return Err(swapped("another audit head"));
    }
    Ok(())
}

/// Reads a backup into memory and checks it.
fn read_backup(path: &Path) -> Result<Db> {
    if !path.exists() {
        return Err(Error::RegisterMissing {
            path: path.to_owned(),
        });
    }
    let (snapshot, policy) = Db::read_into_memory(path)?;
    let register = Register::new(snapshot, policy, Some(path.to_owned()));
    let verification = register.verify()?;
    if !verification.is_ok() {
        return Err(Error::Corrupt {
            what: format!(
                "the backup `{}` does not verify ({})",
                path.display(),
                verification
            ),
        });
    }
    Ok(register.into_db())
}

/// A name beside `dest` for the copy while it is being written.
fn partial_path(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dest.with_file_name(format!(".{name}.partial-{}-{nanos}", std::process::id()))
}

/// Gives the finished copy its name, refusing to replace a file that
/// appeared meanwhile.
fn publish(partial: &Path, dest: &Path) -> Result<()> {
    match std::fs::hard_link(partial, dest) {
        Ok(()) => {}
        Err(source) if source.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::AlreadyExists {
                path: dest.to_owned(),
            });
        }
        // A file system without hard links: rename, after a last look.
        Err(_) if !dest.exists() => {
            std::fs::rename(partial, dest).map_err(|source| Error::Io {
                action: "write the backup",
                path: dest.to_owned(),
                source,
            })?;
        }
        Err(_) => {
            return Err(Error::AlreadyExists {
                path: dest.to_owned(),
            });
        }
    }
    if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Makes the new name durable; not every platform can open a directory.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Err(source) if source.kind() != std::io::ErrorKind::NotFound => Err(Error::Io {
            action: "remove",
            path: path.to_owned(),
            source,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssetFields, AssetName, Classification, Kind, Policy};

    fn sample(register: &mut Register, name: &str) -> crate::Asset {
        let policy = register.policy().clone();
        let class = Classification::parse(&policy, "3B", "2", "2").unwrap();
        let org = policy.organization("水道局").unwrap().code.clone();
        register
            .add(AssetFields::new(
                Kind::parse("ア").unwrap(),
                AssetName::new(name).unwrap(),
                org,
                class,
            ))
            .unwrap()
    }

    #[test]
    fn a_backup_is_a_verified_owner_only_copy() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut register = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
        let asset = sample(&mut register, "水道料金システム");
        let dest = dir.path().join("copy.db");
        let verification = register.backup(&dest)?;
        assert!(verification.is_ok(), "{verification}");
        // The register's `init` entry and the asset's.
        assert_eq!(verification.chain.entries, 2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dest).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Only the copy is left: no partial file, no WAL.
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("r.db"))
            .collect();
        names.sort();
        assert_eq!(names, ["copy.db"]);
        let copy = Register::open(&dest)?;
        assert_eq!(copy.get(asset.id)?, asset);
        Ok(())
    }

    #[test]
    fn a_backup_never_overwrites() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let register = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
        let dest = dir.path().join("copy.db");
        std::fs::write(&dest, b"keep me").unwrap();
        let err = register.backup(&dest).unwrap_err();
        assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
        assert_eq!(std::fs::read(&dest).unwrap(), b"keep me");
        Ok(())
    }

    #[test]
    fn restore_refuses_to_overwrite_unless_asked() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut register = Register::create(&path, &Policy::niigata())?;
        let kept = sample(&mut register, "住民記録システム");
        let dest = dir.path().join("copy.db");
        register.backup(&dest)?;
        let later = sample(&mut register, "後から登録");

        let err = Register::restore(&dest, &path, false).unwrap_err();
        assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
        assert!(register.get(later.id).is_ok());

        // The open register sees the restored contents.
        let restored = Register::restore(&dest, &path, true)?;
        assert!(restored.verify()?.is_ok());
        assert_eq!(restored.get(kept.id)?, kept);
        assert!(restored.get(later.id).unwrap_err().is_not_found());
        assert!(register.get(later.id).unwrap_err().is_not_found());
        Ok(())
    }

    #[test]
    fn restore_into_a_new_file() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut register = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
        let asset = sample(&mut register, "住民記録システム");
        let copy = dir.path().join("copy.db");
        register.backup(&copy)?;
        let fresh = dir.path().join("fresh.db");
        let restored = Register::restore(&copy, &fresh, false)?;
        assert_eq!(restored.get(asset.id)?, asset);
        assert_eq!(restored.history(asset.id)?, register.history(asset.id)?);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        Ok(())
    }

    #[test]
    fn restore_refuses_what_is_not_a_sound_register() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("fresh.db");
        let garbage = dir.path().join("garbage.db");
        std::fs::write(&garbage, b"not a database at all, just some bytes....").unwrap();
        let err = Register::restore(&garbage, &fresh, false).unwrap_err();
        assert!(matches!(err, Error::NotARegister { .. }), "{err}");
        let err = Register::restore(dir.path().join("missing.db"), &fresh, false).unwrap_err();
        assert!(matches!(err, Error::RegisterMissing { .. }), "{err}");

        // A backup whose audit log was edited is refused, and nothing is written.
        let mut register = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
        sample(&mut register, "住民記録システム");
        let copy = dir.path().join("copy.db");
        register.backup(&copy)?;
        store::execute_in_file(&copy, "UPDATE audit_log SET actor = 'someone else'");
        let err = Register::restore(&copy, &fresh, false).unwrap_err();
        assert!(err.to_string().contains("does not verify"), "{err}");
        assert!(!fresh.exists());
        Ok(())
    }

    #[test]
    fn a_published_backup_that_is_not_the_verified_copy_is_removed_and_refused() -> Result<()> {
        let dir = tempfile::tempdir().unwrap();
        let mut register = Register::create(dir.path().join("r.db"), &Policy::niigata())?;
        sample(&mut register, "住民記録システム");
        let dest = dir.path().join("copy.db");
        let verification = register.backup(&dest)?;
        let head = verification.head();
        let identity = FileIdentity::of(&dest);
        assert!(check_published(&dest, identity.as_ref(), head).is_ok());

        // Another file under the name: another inode (Unix only: Windows
        // has no inode to compare).
        #[cfg(unix)]
        {
            let other = dir.path().join("other.db");
            register.backup(&other)?;
            let err = check_published(&other, identity.as_ref(), head).unwrap_err();
            assert!(err.to_string().contains("another file"), "{err}");
            assert!(!other.exists());
        }
        // The same file with another head: changed after it was verified.
        sample(&mut register, "後から登録");
        let err = check_published(&dest, identity.as_ref(), register.head()?).unwrap_err();
        assert!(err.to_string().contains("another audit head"), "{err}");
        assert!(!dest.exists());
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn restore_leaves_the_register_owner_only() -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let mut register = Register::create(&path, &Policy::niigata())?;
        sample(&mut register, "住民記録システム");
        let copy = dir.path().join("copy.db");
        register.backup(&copy)?;
        drop(register);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let restored = Register::restore(&copy, &path, true)?;
        drop(restored);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        Ok(())
    }
}

//! Output files that cannot destroy or leak: [`OutputFile`], through which
//! every file daicho writes for the user goes.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::register::Register;

/// The register's files beside the database, named by SQLite.
const REGISTER_SUFFIXES: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// How many temporary names are tried before giving up.
const TEMPORARY_NAME_ATTEMPTS: u32 = 16;

/// A file being written under a temporary name, which gets its name only
/// when [`commit`](OutputFile::commit)ted. Every file daicho writes for the
/// user (an export, a report) is one:
///
/// - it is written under a temporary name in the destination's directory,
///   created exclusively (`O_CREAT | O_EXCL`), readable and writable by its
///   owner only (mode `0600`, whatever the umask), and given its name only
///   when it is complete ([`OutputFile::commit`]); a failed or abandoned
///   output removes its temporary file and leaves the destination as it was;
/// - an existing file is replaced only when the caller asks for it, and then
///   by a rename, so that the old file is either whole or replaced;
/// - a destination that is a symbolic link, or not a regular file, is
///   refused: a link is never followed, its target never touched;
/// - with [`Register::output_file`], the register's own files (the database
///   and its `-wal`, `-shm` and `-journal`) are refused always, recognized by
///   device and inode rather than by name, so that another spelling of the
///   path or a hard link does not get through.
///
/// On Windows the file is created with `create_new` (the same exclusivity)
/// but no mode: it gets the directory's inherited permissions, and the
/// register's files are recognized by their canonical paths, which a hard
/// link escapes. SECURITY.md says what is guaranteed where.
///
/// ```
/// use std::io::Write;
/// use daicho::OutputFile;
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let dir = tempfile::tempdir()?;
/// let path = dir.path().join("report.csv");
/// let mut out = OutputFile::create(&path, false)?;
/// out.write_all(b"name\r\n")?;
/// assert!(!path.exists());
/// out.commit()?;
/// assert_eq!(std::fs::read(&path)?, b"name\r\n");
/// // The file exists now: without `overwrite`, a second output is refused.
/// assert!(OutputFile::create(&path, false).is_err());
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct OutputFile {
    /// The open temporary file; `None` once committed.
    file: Option<File>,
    /// The temporary file's path, in the destination's directory.
    temporary: PathBuf,
    /// Where the file goes.
    dest: PathBuf,
    /// Whether an existing file at `dest` may be replaced.
    overwrite: bool,
    /// Files that must never be replaced.
    guarded: Guarded,
    /// True once the file has its name.
    committed: bool,
}

impl OutputFile {
    /// Starts a file for `dest`; an existing file there is replaced on
    /// commit only when `overwrite` is true.
    ///
    /// Refused before anything is written: a `dest` that is a symbolic link
    /// or not a regular file, and an existing file without `overwrite`
    /// ([`Error::AlreadyExists`]).
    pub fn create(dest: impl AsRef<Path>, overwrite: bool) -> Result<OutputFile> {
        OutputFile::guarding(dest.as_ref(), overwrite, Guarded::default())
    }

    fn guarding(dest: &Path, overwrite: bool, guarded: Guarded) -> Result<OutputFile> {
        check_destination(dest, overwrite, &guarded)?;
        let (file, temporary) = create_temporary(dest)?;
        Ok(OutputFile {
            file: Some(file),
            temporary,
            dest: dest.to_owned(),
            overwrite,
            guarded,
            committed: false,
        })
    }

    /// Where the file goes.
    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// Syncs the file to the disk and gives it its name: replacing a file
    /// there only if `overwrite` was asked for, and never one that became a
    /// symbolic link or one of the guarded files meanwhile.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().ok_or_else(|| self.io("write", closed()))?;
        file.sync_all().map_err(|source| self.io("write", source))?;
        // Windows cannot rename a file that is still open.
        drop(file);
        check_destination(&self.dest, self.overwrite, &self.guarded)?;
        let renamed = if self.overwrite {
            std::fs::rename(&self.temporary, &self.dest)
        } else {
            rename_no_replace(&self.temporary, &self.dest)
        };
        match renamed {
            Ok(()) => {}
            Err(source) if source.kind() == io::ErrorKind::AlreadyExists => {
                return Err(Error::AlreadyExists {
                    path: self.dest.clone(),
                });
            }
            Err(source) => return Err(self.io("write", source)),
        }
        self.committed = true;
        sync_directory(&self.dest);
        Ok(())
    }

    fn io(&self, action: &'static str, source: io::Error) -> Error {
        Error::Io {
            action,
            path: self.dest.clone(),
            source,
        }
    }

    fn open(&mut self) -> io::Result<&mut File> {
        self.file.as_mut().ok_or_else(closed)
    }
}

fn closed() -> io::Error {
    io::Error::other("the output was committed already")
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.open()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.open()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.open()?.flush()
    }
}

impl Drop for OutputFile {
    fn drop(&mut self) {
        if !self.committed {
            // Closed first: Windows cannot remove an open file.
            drop(self.file.take());
            // Nothing else can be done about a temporary file that will not go.
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

impl Register {
    /// Starts an output file at `dest` that can never be one of this
    /// register's own files (the database, its `-wal`, `-shm` or
    /// `-journal`), even with `overwrite`; see [`OutputFile`].
    pub fn output_file(&self, dest: impl AsRef<Path>, overwrite: bool) -> Result<OutputFile> {
        let guarded = self.path().map(Guarded::register).unwrap_or_default();
        OutputFile::guarding(dest.as_ref(), overwrite, guarded)
    }
}

/// Files an output must never replace: a register's, by the paths SQLite
/// uses for them (the path given and the one it resolves to).
#[derive(Debug, Clone, Default)]
struct Guarded {
    files: Vec<PathBuf>,
}

impl Guarded {
    fn register(path: &Path) -> Guarded {
        let mut bases = vec![path.to_owned()];
        if let Ok(real) = std::fs::canonicalize(path) {
            bases.push(real);
        }
        let files = bases
            .iter()
            .flat_map(|base| {
                REGISTER_SUFFIXES.iter().map(move |suffix| {
                    let mut name = base.as_os_str().to_owned();
                    name.push(suffix);
                    PathBuf::from(name)
                })
            })
            .collect();
        Guarded { files }
    }

    /// True when `dest` is one of the files: the same file (device and
    /// inode), or, for one that does not exist now, the same name in the
    /// same directory.
    fn holds(&self, dest: &Path) -> bool {
        if self.files.is_empty() {
            return false;
        }
        let dest_file = Identity::of(dest);
        let dest_dir = Identity::of(directory(dest));
        self.files.iter().any(|file| {
            let same_file = dest_file.is_some() && dest_file == Identity::of(file);
            let same_name = file.file_name() == dest.file_name()
                && dest_dir.is_some()
                && dest_dir == Identity::of(directory(file));
            same_file || same_name
        })
    }
}

/// What makes a file the same file whatever its path.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl Identity {
    /// The device and inode of the file at `path` (following links).
    #[cfg(unix)]
    fn of(path: &Path) -> Option<Identity> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(Identity((meta.dev(), meta.ino())))
    }

    /// The canonical path of the file at `path` (following links): stable
    /// Rust has no file index on Windows, so a hard link is not recognized.
    #[cfg(not(unix))]
    fn of(path: &Path) -> Option<Identity> {
        std::fs::canonicalize(path).ok().map(Identity)
    }
}

/// The directory a path names a file in (`.` for a bare file name).
fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Refuses a destination that must not be written: a guarded file, a
/// symbolic link, anything but a regular file, or an existing file without
/// `overwrite`.
fn check_destination(dest: &Path, overwrite: bool, guarded: &Guarded) -> Result<()> {
    let refuse = |reason| {
        Err(Error::RefusedOutput {
            path: dest.to_owned(),
            reason,
        })
    };
    if dest.file_name().is_none() {
        return refuse("it names no file");
    }
    let meta = match std::fs::symlink_metadata(dest) {
        Ok(meta) => Some(meta),
        Err(source) if source.kind() == io::ErrorKind::NotFound => None,
        Err(source) => {
            return Err(Error::Io {
                action: "inspect",
                path: dest.to_owned(),
                source,
            });
        }
    };
    if meta.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        return refuse("it is a symbolic link, which is never followed");
    }
    if guarded.holds(dest) {
        return refuse("it is one of the register's own files");
    }
    match meta {
        Some(meta) if !meta.is_file() => refuse("it is not a regular file"),
        Some(_) if !overwrite => Err(Error::AlreadyExists {
            path: dest.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Creates a new, empty file beside `dest` under a name of its own.
fn create_temporary(dest: &Path) -> Result<(File, PathBuf)> {
    let name = dest
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut attempt = 0;
    loop {
        let temporary = directory(dest).join(format!(
            ".{name}.{}-{nanos}-{attempt}.tmp",
            std::process::id()
        ));
        match create_exclusive(&temporary) {
            Ok(file) => return Ok((file, temporary)),
            Err(source)
                if source.kind() == io::ErrorKind::AlreadyExists
                    && attempt + 1 < TEMPORARY_NAME_ATTEMPTS =>
            {
                attempt += 1;
            }
            Err(source) => {
                return Err(Error::Io {
                    action: "create",
                    path: dest.to_owned(),
                    source,
                });
            }
        }
    }
}

/// Creates a file that did not exist (`O_CREAT | O_EXCL`, which also
/// refuses a symbolic link in its place), mode `0600` whatever the umask.
#[cfg(unix)]
fn create_exclusive(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    // The umask can only take bits away from 0600; this sets it exactly.
    if let Err(source) = file.set_permissions(std::fs::Permissions::from_mode(0o600)) {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(source);
    }
    Ok(file)
}

/// Creates a file that did not exist (`CREATE_NEW`); it gets the
/// directory's inherited permissions, as Windows has no mode bits.
#[cfg(not(unix))]
fn create_exclusive(path: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Renames `from` to `to` unless a file (or link) is at `to`, atomically:
/// `renameat2(RENAME_NOREPLACE)`, or a hard link where the file system
/// does not support that flag.
#[cfg(target_os = "linux")]
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(errno) if errno == Errno::INVAL || errno == Errno::NOSYS => link_no_replace(from, to),
        Err(errno) => Err(errno.into()),
    }
}

/// Renames `from` to `to` unless a file (or link) is at `to`, through a
/// hard link, which fails atomically when the name is taken.
#[cfg(not(target_os = "linux"))]
fn rename_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    link_no_replace(from, to)
}

/// Links `from` as `to`, which fails when `to` exists, then removes `from`;
/// on a file system without hard links, renames after a last look.
fn link_no_replace(from: &Path, to: &Path) -> io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => {
            let _ = std::fs::remove_file(from);
            Ok(())
        }
        Err(source) if source.kind() == io::ErrorKind::AlreadyExists => Err(source),
        Err(_) if std::fs::symlink_metadata(to).is_ok() => {
            Err(io::Error::from(io::ErrorKind::AlreadyExists))
        }
        Err(_) => std::fs::rename(from, to),
    }
}

/// Makes the new name durable: syncs the directory holding `path`.
#[cfg(unix)]
fn sync_directory(path: &Path) {
    // The file itself is synced already; a directory that cannot be synced
    // leaves only the name's durability to the file system.
    if let Ok(dir) = File::open(directory(path)) {
        let _ = dir.sync_all();
    }
}

/// Windows cannot open a directory as a file; its rename is durable when
/// the file system's journal says so.
#[cfg(not(unix))]
fn sync_directory(_path: &Path) {}

#[cfg(test)]
mod tests;

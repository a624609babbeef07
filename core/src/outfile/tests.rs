use std::io::Write;

use super::*;
use crate::policy::Policy;

/// The names in a directory, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn an_output_gets_its_name_only_when_committed() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("out.csv");
    let mut out = OutputFile::create(&dest, false)?;
    out.write_all(b"a,b\r\n").unwrap();
    assert!(!dest.exists());
    assert_eq!(out.path(), dest);
    out.commit()?;
    assert_eq!(std::fs::read(&dest).unwrap(), b"a,b\r\n");
    // No temporary file is left behind.
    assert_eq!(names(dir.path()), ["out.csv"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    Ok(())
}

#[test]
fn an_abandoned_output_leaves_nothing_and_the_old_file_whole() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("out.csv");
    std::fs::write(&dest, b"old").unwrap();
    let mut out = OutputFile::create(&dest, true)?;
    out.write_all(b"half of the new").unwrap();
    drop(out);
    assert_eq!(std::fs::read(&dest).unwrap(), b"old");
    assert_eq!(names(dir.path()), ["out.csv"]);
    Ok(())
}

#[test]
fn an_existing_file_is_replaced_only_when_asked() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("old-backup.db");
    std::fs::write(&dest, b"keep me").unwrap();
    let err = OutputFile::create(&dest, false).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read(&dest).unwrap(), b"keep me");

    // A file that appears while the output is written is not replaced either.
    let late = dir.path().join("late.csv");
    let mut out = OutputFile::create(&late, false)?;
    out.write_all(b"new").unwrap();
    std::fs::write(&late, b"came first").unwrap();
    let err = out.commit().unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read(&late).unwrap(), b"came first");

    let mut out = OutputFile::create(&dest, true)?;
    out.write_all(b"new").unwrap();
    out.commit()?;
    assert_eq!(std::fs::read(&dest).unwrap(), b"new");
    assert_eq!(names(dir.path()), ["late.csv", "old-backup.db"]);
    Ok(())
}

#[test]
fn what_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for dest in [dir.path().to_owned(), dir.path().join("..")] {
        let err = OutputFile::create(&dest, true).unwrap_err();
        assert!(matches!(err, Error::RefusedOutput { .. }), "{err}");
    }
    let err = OutputFile::create(dir.path().join("missing/out.csv"), false).unwrap_err();
    assert!(
        matches!(&err, Error::Io { action: "create", path, .. } if path.ends_with("missing/out.csv")),
        "{err:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("secret.txt");
    std::fs::write(&target, b"untouched").unwrap();
    let link = dir.path().join("out.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    // A dangling link too: following it would create its target.
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink(dir.path().join("created.txt"), &dangling).unwrap();
    for dest in [&link, &dangling] {
        for overwrite in [false, true] {
            let err = OutputFile::create(dest, overwrite).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "refusing to write `{}`: it is a symbolic link, which is never followed",
                    dest.display()
                )
            );
        }
    }

    // A link put in the name's place while the output is written is refused too.
    let swapped = dir.path().join("swapped.csv");
    let mut out = OutputFile::create(&swapped, true).unwrap();
    out.write_all(b"new").unwrap();
    std::os::unix::fs::symlink(&target, &swapped).unwrap();
    let err = out.commit().unwrap_err();
    assert!(matches!(err, Error::RefusedOutput { .. }), "{err}");
    assert_eq!(std::fs::read(&target).unwrap(), b"untouched");
    assert!(!dir.path().join("created.txt").exists());
    assert_eq!(
        names(dir.path()),
        ["dangling.csv", "out.csv", "secret.txt", "swapped.csv"]
    );
}

#[test]
fn the_registers_own_files_are_refused_by_identity() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let register = Register::create(&path, &Policy::niigata())?;
    let before = std::fs::read(&path).unwrap();
    #[cfg_attr(not(unix), expect(unused_mut, reason = "Unix adds a hard link"))]
    let mut dests = vec![
        path.clone(),
        // Another spelling of the same path.
        dir.path().join(".").join("r.db"),
        // The journal files, whether they exist now or not.
        dir.path().join("r.db-wal"),
        dir.path().join("r.db-shm"),
        dir.path().join("r.db-journal"),
    ];
    // A hard link is the same file (on Windows a hard link is not recognized).
    #[cfg(unix)]
    {
        let linked = dir.path().join("linked.db");
        std::fs::hard_link(&path, &linked).unwrap();
        dests.push(linked);
    }
    for dest in &dests {
        for overwrite in [false, true] {
            let err = register.output_file(dest, overwrite).unwrap_err();
            assert!(
                matches!(&err, Error::RefusedOutput { reason, .. } if reason.contains("register's own")),
                "{}: {err}",
                dest.display()
            );
        }
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // Any other file is an output like any other.
    let mut out = register.output_file(dir.path().join("r.db.csv"), false)?;
    out.write_all(b"x").unwrap();
    out.commit()?;
    Ok(())
}

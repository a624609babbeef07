//! The register: the one entry point for reading and changing assets.
//!
//! Every change runs in one SQLite transaction together with its audit
//! entry, so a change and its record are written together or not at all;
//! the changes themselves are the write path's ([`crate::write`]), shared
//! with the importer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::audit::{
    self, Action, Appender, AuditEntry, ChainAnchor, ChainReport, Change, Head, Mismatch,
    Redaction, Replayer,
};
use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetFields, AssetId, Disposal, FieldChange, Kind, Link, Relation, Segment,
};
use crate::policy::{Axis, Policy};
use crate::query::{Filter, Summary};
use crate::store::{self, Db, SummaryGroup};
use crate::write::{self, Deletion, Writer};

mod columns;
mod permissions;

pub use columns::code_label;
pub use permissions::PermissionsWarning;

/// An information asset register (情報資産管理台帳) backed by one SQLite file.
#[derive(Debug)]
pub struct Register {
    db: Db,
    policy: Policy,
    path: Option<PathBuf>,
    actor: String,
    /// A fixed time for the changes that follow, instead of the system clock.
    clock: Option<jiff::Timestamp>,
}

impl Register {
    /// Creates a new register file with a policy; refuses to overwrite a file.
    ///
    /// The file is created readable and writable by its owner only. Its
    /// audit log starts with an `init` entry that chains the policy's SHA-256.
    ///
    /// `path` may instead be a `postgres://` URL (with the `postgres`
    /// feature): the register is then made in the URL's schema on that
    /// server, which must hold no tables; the password comes from
    /// `PGPASSWORD` or the password file, never the URL.
    pub fn create(path: impl AsRef<Path>, policy: &Policy) -> Result<Register> {
        Register::create_as(path, policy, "unknown")
    }

    /// [`Register::create`], recording `actor` as who created it (the
    /// actor of later changes too).
    pub fn create_as(path: impl AsRef<Path>, policy: &Policy, actor: &str) -> Result<Register> {
        Register::create_at(path, policy, actor, None)
    }

    /// [`Register::create_as`] with the clock fixed at `at` from the start
    /// (its `init` entry included), as [`Register::set_clock`] fixes it.
    pub fn create_at(
        path: impl AsRef<Path>,
        policy: &Policy,
        actor: &str,
        at: Option<jiff::Timestamp>,
    ) -> Result<Register> {
        let path = path.as_ref();
        crate::table::vocabulary::check_synonyms(policy)?;
        // Before anything is made: a register on a server is not removed as a file is.
        write::check_text("actor", actor, false)?;
        let db = store::create(path, policy)?;
        let mut register = Register::new(db, policy.clone(), Some(path.to_owned()));
        register.set_clock(at);
        if let Err(e) = register.set_actor(actor).and_then(|()| register.log_init()) {
            drop(register);
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        Ok(register)
    }

    /// Opens an existing register (a file, or a `postgres://` URL); its
    /// stored policy applies.
    pub fn open(path: impl AsRef<Path>) -> Result<Register> {
        let path = path.as_ref();
        let (db, policy) = store::open(path)?;
        Ok(Register::new(db, policy, Some(path.to_owned())))
    }

    /// Opens an existing register read-only, for reading and verifying: no
    /// migration, no change of its journal mode, not a byte written. It
    /// works on a read-only file in a read-only directory. A register whose
    /// schema is older than this build's is refused
    /// ([`Error::SchemaTooOld`]); changes fail.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Register> {
        let path = path.as_ref();
        let (db, policy) = store::open_read_only(path)?;
        Ok(Register::new(db, policy, Some(path.to_owned())))
    }

    /// A register in memory, gone when dropped.
    pub fn in_memory(policy: &Policy) -> Result<Register> {
        crate::table::vocabulary::check_synonyms(policy)?;
        let db = store::create_in_memory(policy)?;
        let mut register = Register::new(db, policy.clone(), None);
        register.log_init()?;
        Ok(register)
    }

    /// Writes the first audit entry of a new register: the policy's name and SHA-256.
    fn log_init(&mut self) -> Result<()> {
        let record = serde_json::json!({
            "policy": self.policy.name(),
            "policy_sha256": self.policy.sha256(),
        })
        .to_string();
        self.write_logged(|db, log| {
            log.append(
                db,
                &Change {
                    action: Action::Init,
                    asset_id: None,
                    related_id: None,
                    before: None,
                    after: Some(&record),
                },
            )
        })
    }

    pub(crate) fn new(db: Db, policy: Policy, path: Option<PathBuf>) -> Register {
        Register {
            db,
            policy,
            path,
            actor: "unknown".to_owned(),
            clock: None,
        }
    }

    /// The database, for the library's other modules.
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// The database, to write in bulk.
    pub(crate) fn db_mut(&mut self) -> &mut Db {
        &mut self.db
    }

    pub(crate) fn into_db(self) -> Db {
        self.db
    }

    /// Sets who is making the changes; recorded in every audit entry.
    ///
    /// An actor holding a control character (an escape sequence, a line
    /// break) is refused and the actor stays as it was.
    pub fn set_actor(&mut self, actor: impl Into<String>) -> Result<()> {
        let actor = actor.into();
        write::check_text("actor", &actor, false)?;
        let actor = actor.trim();
        self.actor = if actor.is_empty() {
            "unknown".to_owned()
        } else {
            actor.to_owned()
        };
        Ok(())
    }

    /// Makes the changes that follow happen at `at` (rounded to the
    /// microsecond, as stored) instead of the system clock's time; `None`
    /// returns to the system clock. For replaying a past year of changes
    /// (tests, a migration from paper): the audit log records whatever time
    /// the writer gives, so an entry's time is a claim the chain protects
    /// from later edits, not a proof of when it was written.
    pub fn set_clock(&mut self, at: Option<jiff::Timestamp>) {
        self.clock = at.map(|at| at.round(jiff::Unit::Microsecond).unwrap_or(at));
    }

    /// The time changes are made at: the fixed clock's, else the system's.
    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.clock.unwrap_or_else(store::now)
    }

    /// Who is making the changes.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The policy the register was created with.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Makes `policy` the one the register validates against, after the
    /// store holds it ([`Register::set_policy`]).
    pub(crate) fn replace_policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// The file, or `None` for an in-memory register.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Adds an asset with a new id.
    pub fn add(&mut self, fields: AssetFields) -> Result<Asset> {
        self.add_with_id(AssetId::generate(), fields)
    }

    /// Adds an asset with a given id (from an import).
    pub fn add_with_id(&mut self, id: AssetId, mut fields: AssetFields) -> Result<Asset> {
        write::normalize(&mut fields);
        let now = self.now();
        let asset = Asset {
            id,
            fields,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.write(|w| w.add(asset))
    }

    /// One asset by id.
    pub fn get(&self, id: AssetId) -> Result<Asset> {
        self.db
            .asset(&self.policy, id)?
            .ok_or_else(|| Error::NotFound { id: id.to_string() })
    }

    /// One asset by id, or else by its unique name.
    pub fn resolve(&self, id_or_name: &str) -> Result<Asset> {
        write::resolve(&self.db, &self.policy, id_or_name)
    }

    /// Replaces an asset's fields, if its version is still `expected_version`.
    ///
    /// A stale version is an [`Error::Conflict`]; nothing is lost. Writing the
    /// same fields again changes nothing and writes no audit entry.
    pub fn update(
        &mut self,
        id: AssetId,
        expected_version: u64,
        mut fields: AssetFields,
    ) -> Result<Asset> {
        write::normalize(&mut fields);
        write::validate(&self.policy, &fields)?;
        self.write(|w| w.change(id, Some(expected_version), |_| Ok(fields)))
            .map(|(asset, _)| asset)
    }

    /// Applies field changes to an asset's current fields, in one write
    /// transaction: with a version, only if the asset is still at it (else
    /// [`Error::Conflict`]); without one, to whatever is current, which no
    /// other writer can change in between. Unchanged fields write nothing.
    pub fn edit(
        &mut self,
        id: AssetId,
        expected_version: impl Into<Option<u64>>,
        changes: impl IntoIterator<Item = FieldChange>,
    ) -> Result<Asset> {
        let expected = expected_version.into();
        self.write(|w| {
            w.change(id, expected, |current| {
                let mut fields = current.fields.clone();
                fields.apply(changes)?;
                write::normalize(&mut fields);
                Ok(fields)
            })
        })
        .map(|(asset, _)| asset)
    }

    /// Records an asset's disposal (廃棄): with a version, only if the asset
    /// is still at it; without one, whatever its version.
    pub fn dispose(
        &mut self,
        id: AssetId,
        expected_version: impl Into<Option<u64>>,
        disposal: Disposal,
    ) -> Result<Asset> {
        let expected = expected_version.into();
        self.write(|w| w.dispose(id, expected, disposal))
    }

    /// Deletes an asset, saying why: its audit entry keeps its last state
    /// and the reason, and so do the entries of its risk assessments, which
    /// go with it. Refused while links join it to other assets
    /// ([`Error::Linked`]); see [`Register::delete_with_links`].
    pub fn delete(&mut self, id: AssetId, reason: &str) -> Result<Deletion> {
        self.write(|w| w.delete(id, reason, false))
    }

    /// Deletes an asset as [`Register::delete`] does, and its links first,
    /// each with its own audit entry.
    pub fn delete_with_links(&mut self, id: AssetId, reason: &str) -> Result<Deletion> {
        self.write(|w| w.delete(id, reason, true))
    }

    /// Adds a link; both assets must exist, and the relation must fit their kinds.
    pub fn link(&mut self, link: Link) -> Result<()> {
        self.write(|w| w.link(&link, false)).map(drop)
    }

    /// Removes a link.
    pub fn unlink(&mut self, from: AssetId, relation: Relation, to: AssetId) -> Result<()> {
        self.write(|w| w.unlink(from, relation, to))
    }

    /// Every link, ordered by source, relation and target.
    pub fn links(&self) -> Result<Vec<Link>> {
        self.db.links(None)
    }

    /// The links from or to one asset.
    pub fn links_of(&self, id: AssetId) -> Result<Vec<Link>> {
        self.db.links(Some(id))
    }

    /// The assets a filter selects, ordered by organization (in the policy's
    /// order), then name, then id.
    pub fn assets(&self, filter: &Filter) -> Result<Vec<Asset>> {
        let mut assets = Vec::new();
        self.for_each_asset(filter, |asset| {
            assets.push(asset);
            Ok(())
        })?;
        let order: HashMap<&str, usize> = self
            .policy
            .organizations()
            .iter()
            .enumerate()
            .map(|(i, o)| (o.code.as_str(), i))
            .collect();
        // Keys are computed once and the assets moved once: comparing and
        // swapping whole assets costs more than the sort itself.
        assets.sort_by_cached_key(|asset| {
            let rank = order
                .get(asset.fields.organization.as_str())
                .copied()
                .unwrap_or(usize::MAX);
            (rank, asset.fields.name.clone(), asset.id)
        });
        Ok(assets)
    }

    /// Calls `visit` with each asset a filter selects, in storage order,
    /// without holding them all in memory.
    pub fn for_each_asset(
        &self,
        filter: &Filter,
        mut visit: impl FnMut(Asset) -> Result<()>,
    ) -> Result<()> {
        self.db.for_each_asset(&self.policy, filter, &mut visit)
    }

    /// Calls `visit` with each asset a filter selects, in the order of
    /// [`Register::assets`], holding one asset at a time: for listing more
    /// assets than memory should hold (the CLI's `list --format json`
    /// writes each as it comes). `visit`'s error, or any error of the
    /// register's, stops the listing.
    pub fn for_each_asset_ordered<E: From<Error>>(
        &self,
        filter: &Filter,
        visit: impl FnMut(Asset) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let organizations: Vec<&str> = self
            .policy
            .organizations()
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        self.db
            .for_each_asset_in_order(&self.policy, filter, &organizations, visit)
    }

    /// Up to `limit` assets a filter selects whose ids follow `after` (from the
    /// first when `None`), in id order: a listing read page by page, each page
    /// consistent in itself, so that a caller may change assets between pages.
    pub fn assets_page(
        &self,
        filter: &Filter,
        after: Option<AssetId>,
        limit: usize,
    ) -> Result<Vec<Asset>> {
        self.db.assets_page(&self.policy, filter, after, limit)
    }

    /// The audit entries about one asset, oldest first; a deleted asset's
    /// entries are kept, its deletion last.
    pub fn history(&self, id: AssetId) -> Result<Vec<AuditEntry>> {
        let entries = audit::history(&self.db, id)?;
        if entries.is_empty() {
            self.get(id)?;
        }
        Ok(entries)
    }

    /// The head of the audit chain as stored: the number of entries and the
    /// last one's hash (not recomputed; [`Register::verify`] does that).
    pub fn head(&self) -> Result<Head> {
        Ok(self
            .db
            .audit_head()?
            .map_or(Head::EMPTY, |(entries, hash)| Head { entries, hash }))
    }

    /// Checks the whole register, in one read transaction: the database's
    /// integrity and links; the audit chain, recomputed from the first entry,
    /// with each payload against its digest; every asset, link and risk
    /// assessment against what the log, replayed from empty, says; the
    /// stored policy against its SHA-256 and the one chained in the log; and
    /// the schema against the one the migrations create.
    pub fn verify(&self) -> Result<Verification> {
        self.verify_with(None)
    }

    /// [`Register::verify`], and the audit chain against an anchor kept
    /// outside the register: entries 1..N must be unchanged.
    pub fn verify_anchored(&self, anchor: &Anchor) -> Result<Verification> {
        let anchor = match anchor {
            Anchor::Head { head, source } => ChainAnchor {
                source: source.clone(),
                head: *head,
                hashes: Vec::new(),
            },
            Anchor::Backup(path) => {
                let (db, _) = store::open_read_only(path).or_else(|e| match e {
                    // An older backup is read into memory, which needs no migration.
                    Error::SchemaTooOld { .. } => Db::read_into_memory(path),
                    e => Err(e),
                })?;
                let mut hashes = Vec::new();
                let chain =
                    db.read(|db| audit::verify_chain(db, None, Some(&mut hashes), |_, _| {}))?;
                if let Some(broken) = &chain.first_broken {
                    return Err(Error::Corrupt {
                        what: format!(
                            "the backup `{}` does not verify (audit entry {}: {})",
                            path.display(),
                            broken.seq,
                            broken.reason
                        ),
                    });
                }
                ChainAnchor {
                    source: format!("backup `{}`", path.display()),
                    head: chain.head,
                    hashes,
                }
            }
        };
        self.verify_with(Some(&anchor))
    }

    fn verify_with(&self, anchor: Option<&ChainAnchor>) -> Result<Verification> {
        self.db.read(|db| {
            let (database, dangling_links) = db.integrity()?;
            // One pass over the log: the chain, and the replay beside it.
            let mut replayer = Replayer::default();
            let chain =
                audit::verify_chain(db, anchor, None, |seq, entry| replayer.visit(seq, entry))?;
            let replay = replayer.finish(db, &self.policy, &chain.redactions)?;
            let schema = db.schema_differences()?;
            let mut notes = Vec::new();
            let policy = check_policy(db, replay.policy_digest.as_deref(), &mut notes)?;
            for r in &chain.redactions {
                notes.push(format!(
                    "audit entry {}: `{}` redacted by entry {} ({})",
                    r.entry, r.field, r.by, r.reason
                ));
            }
            for (seq, replaced) in &replay.restores {
                notes.push(match replaced {
                    Some(head) => format!(
                        "audit entry {seq}: restored from a backup, replacing the register at head {head}"
                    ),
                    None => format!("audit entry {seq}: restored from a backup into a new file"),
                });
            }
            Ok(Verification {
                database,
                dangling_links,
                chain,
                mismatches: replay.mismatches,
                mismatch_count: replay.total,
                policy,
                schema,
                notes,
            })
        })
    }

    /// Blanks `field` (free text, such as `notes`) in the stored states of
    /// audit entry `seq`, where it holds another value than the asset holds
    /// now, and records that as an entry of its own (action `redact`) naming
    /// the entry, the field and the reason, never the content. The chain
    /// stays intact: entries chain a digest of their payload, and
    /// [`Register::verify`] reports the entry as redacted.
    ///
    /// Refused for entries written before payload digests, for an entry that
    /// does not verify, and where the entry holds only the value the asset
    /// still holds (change the asset first). Deleted content is overwritten
    /// in the file.
    pub fn redact(&mut self, seq: u64, field: &str, reason: &str) -> Result<Redaction> {
        let now = self.now();
        let Register {
            db, policy, actor, ..
        } = self;
        let head = db.write_securely(|db| {
            let mut log = Appender::start(db, actor, now)?;
            audit::redact(db, &mut log, (seq, field, reason), |id| {
                Ok(db.asset(policy, id)?.and_then(|asset| {
                    let record = serde_json::to_value(crate::table::AssetRecord::from(&asset));
                    record
                        .ok()
                        .map(|r| r[field].clone())
                        .filter(|v| !v.is_null())
                }))
            })?;
            Ok(log.head())
        })?;
        Ok(Redaction {
            entry: seq,
            by: head.entries,
            field: field.to_owned(),
            reason: reason.trim().to_owned(),
        })
    }

    /// Counts by organization × confidentiality, kind, segment and scope.
    pub fn summary(&self) -> Result<Summary> {
        let groups = self.db.summary_groups()?;
        let links = self.db.count_links()?;
        let sum = |keep: &dyn Fn(&SummaryGroup) -> bool| {
            groups.iter().filter(|g| keep(g)).map(|g| g.count).sum()
        };
        let active = |g: &SummaryGroup| !g.disposed && g.exclusion.is_none();

        let mut summary = Summary {
            total: sum(&|_| true),
            in_scope: sum(&active),
            excluded: sum(&|g| !g.disposed && g.exclusion.is_some()),
            disposed: sum(&|g| g.disposed),
            links,
            ..Summary::default()
        };
        for org in self.policy.organizations() {
            let levels: Vec<_> = self
                .policy
                .scale(Axis::Confidentiality)
                .levels
                .iter()
                .map(|def| {
                    let n = sum(&|g| {
                        active(g)
                            && g.organization == org.code.as_str()
                            && g.confidentiality == def.level.code()
                    });
                    (def.level.clone(), n)
                })
                .collect();
            // Every body of §4(1), with zeros when none of its assets is in scope.
            summary.by_organization.push((org.code.clone(), levels));
        }
        for kind in Kind::ALL {
            summary
                .by_kind
                .push((*kind, sum(&|g| active(g) && g.kind == kind.code())));
        }
        for segment in Segment::ALL.iter().map(|s| Some(*s)).chain([None]) {
            let n = sum(&|g| active(g) && g.segment.as_deref() == segment.map(Segment::code));
            summary.by_segment.push((segment, n));
        }
        summary.by_scope.push((None, summary.in_scope));
        for exclusion in self.policy.exclusions() {
            let n =
                sum(&|g| !g.disposed && g.exclusion.as_deref() == Some(exclusion.code.as_str()));
            summary.by_scope.push((Some(exclusion.code.clone()), n));
        }
        Ok(summary)
    }

    /// Runs `change` in one immediate write transaction with the database
    /// and an audit appender, for writes outside the asset write path
    /// (risk assessments).
    pub(crate) fn write_logged(
        &mut self,
        change: impl FnOnce(&Db, &mut Appender<'_>) -> Result<()>,
    ) -> Result<()> {
        let now = self.now();
        let Register { db, actor, .. } = self;
        write::validate_actor(actor)?;
        db.write(|db| {
            let mut log = Appender::start(db, actor, now)?;
            change(db, &mut log)
        })
    }

    /// Runs `change` in one immediate write transaction, with the write
    /// path's [`Writer`] (its audit appender included), and commits it.
    pub(crate) fn write<T>(
        &mut self,
        change: impl FnOnce(&mut Writer<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let Register {
            db, policy, actor, ..
        } = self;
        write::validate_actor(actor)?;
        db.write(|db| {
            let mut log = Appender::start(db, actor, now)?;
            change(&mut Writer {
                db,
                log: &mut log,
                policy,
                now,
                numbers: write::MayHoldNumbers::NONE,
            })
        })
    }
}

/// Compares the stored policy with the SHA-256 stored beside it and the
/// one chained in the log's first entry; returns what differs.
fn check_policy(db: &Db, chained: Option<&str>, notes: &mut Vec<String>) -> Result<Vec<String>> {
    let (text, stored) = db.stored_policy()?;
    let mut problems = Vec::new();
    let Some(text) = text else {
        problems.push("the register holds no policy".to_owned());
        return Ok(problems);
    };
    let actual = hex::encode(Sha256::digest(text.as_bytes()));
    if stored.as_deref() != Some(actual.as_str()) {
        problems.push(format!(
            "the stored policy hashes to `{actual}`, not to the SHA-256 stored beside it (`{}`)",
            stored.as_deref().unwrap_or("none")
        ));
    }
    match chained {
        Some(chained) if chained != actual => problems.push(format!(
            "the stored policy hashes to `{actual}`, not to the SHA-256 chained in audit entry 1 (`{chained}`)"
        )),
        Some(_) => {}
        None => notes.push(
            "the audit log chains no policy digest (the register was made before daicho \
             recorded one): the policy is checked against its stored SHA-256 only"
                .to_owned(),
        ),
    }
    Ok(problems)
}

/// A head kept outside the register, for [`Register::verify_anchored`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Anchor {
    /// A head recorded earlier (`N:HEX`, printed by `verify`, `backup`,
    /// `export` and `check`, or read from a signed checkpoint).
    Head {
        /// The head.
        head: Head,
        /// Where it came from, for the report.
        source: String,
    },
    /// A backup's head: its chain must verify, and every entry it holds must
    /// be unchanged in the register.
    Backup(PathBuf),
}

/// The result of [`Register::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// What SQLite's integrity check reported; empty when the file is sound.
    pub database: Vec<String>,
    /// Links whose assets are missing.
    pub dangling_links: u64,
    /// The audit chain (and the anchor, when one was given).
    pub chain: ChainReport,
    /// The first differences between the register's rows and what the
    /// audit log says (at most 100; [`Verification::mismatch_count`] counts all).
    pub mismatches: Vec<Mismatch>,
    /// How many differences there are in all.
    pub mismatch_count: u64,
    /// What is wrong with the stored policy: its text against its SHA-256
    /// and against the one chained in the log.
    pub policy: Vec<String>,
    /// How the schema differs from the one the migrations create.
    pub schema: Vec<String>,
    /// What is worth knowing but not wrong: redacted entries, restores, a
    /// log that chains no policy digest.
    pub notes: Vec<String>,
}

impl Verification {
    /// True when the database, the links, the audit chain (and its anchor),
    /// the rows, the policy and the schema are all sound.
    pub fn is_ok(&self) -> bool {
        self.problems().is_empty()
    }

    /// The head of the verified audit chain.
    pub fn head(&self) -> Head {
        self.chain.head
    }

    /// Each problem, in one line.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = self.database.clone();
        if self.dangling_links > 0 {
            problems.push(format!("{} dangling links", self.dangling_links));
        }
        if let Some(broken) = &self.chain.first_broken {
            problems.push(format!("audit entry {}: {}", broken.seq, broken.reason));
        }
        if let Some(anchor) = &self.chain.anchor
            && let Some(difference) = &anchor.first_difference
        {
            problems.push(format!(
                "against {} ({}): {}",
                anchor.source, anchor.expected, difference.reason
            ));
        }
        problems.extend(self.mismatches.iter().map(ToString::to_string));
        let shown = self.mismatches.len() as u64;
        if self.mismatch_count > shown {
            problems.push(format!(
                "and {} more differences from the audit log",
                self.mismatch_count - shown
            ));
        }
        problems.extend(self.policy.iter().cloned());
        problems.extend(self.schema.iter().map(|d| format!("schema: {d}")));
        problems
    }
}

impl std::fmt::Display for Verification {
    /// What is wrong, in one line (`1 dangling links; audit entry 4: …`),
    /// or `ok` when nothing is.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let problems = self.problems();
        if problems.is_empty() {
            f.write_str("ok")
        } else {
            f.write_str(&problems.join("; "))
        }
    }
}

#[cfg(test)]
mod tests;

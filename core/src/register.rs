//! The register: the one entry point for reading and changing assets.
//!
//! Every change runs in one SQLite transaction together with its audit
//! entry, so a change and its record are written together or not at all;
//! the changes themselves are the write path's ([`crate::write`]), shared
//! with the importer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::audit::{self, Appender, AuditEntry, ChainReport};
use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetFields, AssetId, Disposal, FieldChange, Kind, Link, Relation, Segment,
};
use crate::policy::{Axis, Policy};
use crate::query::{Filter, Summary};
use crate::store::{self, Db, SummaryGroup};
use crate::write::{self, Writer};

/// An information asset register (情報資産管理台帳) backed by one SQLite file.
#[derive(Debug)]
pub struct Register {
    db: Db,
    policy: Policy,
    path: Option<PathBuf>,
    actor: String,
}

impl Register {
    /// Creates a new register file with a policy; refuses to overwrite a file.
    ///
    /// The file is created readable and writable by its owner only.
    pub fn create(path: impl AsRef<Path>, policy: &Policy) -> Result<Register> {
        let path = path.as_ref();
        let db = store::create(path, policy)?;
        Ok(Register::new(db, policy.clone(), Some(path.to_owned())))
    }

    /// Opens an existing register; its stored policy applies.
    pub fn open(path: impl AsRef<Path>) -> Result<Register> {
        let path = path.as_ref();
        let (db, policy) = store::open(path)?;
        Ok(Register::new(db, policy, Some(path.to_owned())))
    }

    /// A register in memory, gone when dropped.
    pub fn in_memory(policy: &Policy) -> Result<Register> {
        let db = store::create_in_memory(policy)?;
        Ok(Register::new(db, policy.clone(), None))
    }

    pub(crate) fn new(db: Db, policy: Policy, path: Option<PathBuf>) -> Register {
        Register {
            db,
            policy,
            path,
            actor: "unknown".to_owned(),
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

    /// Who is making the changes.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The policy the register was created with.
    pub fn policy(&self) -> &Policy {
        &self.policy
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
        let now = store::now();
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

    /// The audit entries about one asset, oldest first.
    pub fn history(&self, id: AssetId) -> Result<Vec<AuditEntry>> {
        self.get(id)?;
        audit::history(&self.db, id)
    }

    /// Checks the database's integrity and recomputes the audit chain.
    pub fn verify(&self) -> Result<Verification> {
        let (database, dangling_links) = self.db.integrity()?;
        let chain = audit::verify_chain(&self.db)?;
        Ok(Verification {
            database,
            dangling_links,
            chain,
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
        let Register { db, actor, .. } = self;
        db.write(|db| {
            let mut log = Appender::start(db, actor, store::now())?;
            change(db, &mut log)
        })
    }

    /// Runs `change` in one immediate write transaction, with the write
    /// path's [`Writer`] (its audit appender included), and commits it.
    pub(crate) fn write<T>(
        &mut self,
        change: impl FnOnce(&mut Writer<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        let Register {
            db, policy, actor, ..
        } = self;
        db.write(|db| {
            let now = store::now();
            let mut log = Appender::start(db, actor, now)?;
            change(&mut Writer {
                db,
                log: &mut log,
                policy,
                now,
            })
        })
    }
}

/// The result of [`Register::verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// What SQLite's integrity check reported; empty when the file is sound.
    pub database: Vec<String>,
    /// Links whose assets are missing.
    pub dangling_links: u64,
    /// The audit chain.
    pub chain: ChainReport,
}

impl Verification {
    /// True when the database, the links and the audit chain are all sound.
    pub fn is_ok(&self) -> bool {
        self.database.is_empty() && self.dangling_links == 0 && self.chain.is_intact()
    }
}

impl std::fmt::Display for Verification {
    /// What is wrong, in one line (`1 dangling links; audit entry 4: …`),
    /// or `ok` when nothing is.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut problems = self.database.clone();
        if self.dangling_links > 0 {
            problems.push(format!("{} dangling links", self.dangling_links));
        }
        if let Some(broken) = &self.chain.first_broken {
            problems.push(format!("audit entry {}: {}", broken.seq, broken.reason));
        }
        if problems.is_empty() {
            f.write_str("ok")
        } else {
            f.write_str(&problems.join("; "))
        }
    }
}

#[cfg(test)]
mod tests;

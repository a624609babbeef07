//! The register: the one entry point for reading and changing assets.
//!
//! Every change runs in one SQLite transaction together with its audit
//! entry, so a change and its record are written together or not at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::audit::{self, Action, Appender, AuditEntry, ChainReport, Change};
use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetFields, AssetId, Disposal, Kind, Link, Relation, Sanitization, Scope, Segment,
};
use crate::policy::{Axis, Policy};
use crate::query::{Disposed, Filter, Summary};
use crate::record::{LinkRecord, audit_json, to_json};
use crate::store;

/// An information asset register (情報資産管理台帳) backed by one SQLite file.
#[derive(Debug)]
pub struct Register {
    pub(crate) conn: Connection,
    pub(crate) policy: Policy,
    path: Option<PathBuf>,
    pub(crate) actor: String,
}

impl Register {
    /// Creates a new register file with a policy; refuses to overwrite a file.
    ///
    /// The file is created readable and writable by its owner only.
    pub fn create(path: impl AsRef<Path>, policy: &Policy) -> Result<Register> {
        let path = path.as_ref();
        let conn = store::create(path, policy)?;
        Ok(Register::new(conn, policy.clone(), Some(path.to_owned())))
    }

    /// Opens an existing register; its stored policy applies.
    pub fn open(path: impl AsRef<Path>) -> Result<Register> {
        let path = path.as_ref();
        let (conn, policy) = store::open(path)?;
        Ok(Register::new(conn, policy, Some(path.to_owned())))
    }

    /// A register in memory, gone when dropped.
    pub fn in_memory(policy: &Policy) -> Result<Register> {
        let conn = store::create_in_memory(policy)?;
        Ok(Register::new(conn, policy.clone(), None))
    }

    pub(crate) fn new(conn: Connection, policy: Policy, path: Option<PathBuf>) -> Register {
        Register {
            conn,
            policy,
            path,
            actor: "unknown".to_owned(),
        }
    }

    /// Sets who is making the changes; recorded in every audit entry.
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        let actor = actor.into();
        let actor = actor.trim();
        self.actor = if actor.is_empty() {
            "unknown".to_owned()
        } else {
            actor.to_owned()
        };
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
        normalize(&mut fields);
        validate(&self.policy, &fields)?;
        let now = store::now();
        let asset = Asset {
            id,
            fields,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.write(|tx, log| {
            store::insert_asset(tx, &asset)?;
            let after = audit_json(&asset, log.at());
            log.append(tx, &Change::asset(Action::Create, id, None, Some(&after)))
        })?;
        Ok(asset)
    }

    /// One asset by id.
    pub fn get(&self, id: AssetId) -> Result<Asset> {
        self.try_get(id)?
            .ok_or_else(|| Error::NotFound { id: id.to_string() })
    }

    fn try_get(&self, id: AssetId) -> Result<Option<Asset>> {
        get_in(&self.conn, &self.policy, id)
    }

    /// One asset by id, or else by its unique name.
    pub fn resolve(&self, id_or_name: &str) -> Result<Asset> {
        if let Ok(id) = id_or_name.parse::<AssetId>() {
            if let Some(asset) = self.try_get(id)? {
                return Ok(asset);
            }
            return Err(Error::NotFound { id: id.to_string() });
        }
        let name = id_or_name.trim();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM assets WHERE name = ?1 LIMIT 2",
                store::ASSET_COLUMNS
            ))
            .map_err(Error::storage("finding an asset by name"))?;
        let mut rows = stmt
            .query([name])
            .map_err(Error::storage("finding an asset by name"))?;
        let mut found = Vec::new();
        while let Some(row) = rows
            .next()
            .map_err(Error::storage("finding an asset by name"))?
        {
            found.push(store::read_asset(&self.policy, row)?);
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            matches => Err(Error::AmbiguousName {
                name: name.to_owned(),
                matches,
            }),
        }
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
        normalize(&mut fields);
        validate(&self.policy, &fields)?;
        self.change(id, expected_version, Action::Update, |current| {
            // A disposed asset is history: only its disposal record may still be completed.
            if let Some(disposal) = &current.fields.disposal {
                let mut unchanged = fields.clone();
                unchanged.disposal.clone_from(&current.fields.disposal);
                if fields.disposal.is_none() || unchanged != current.fields {
                    return Err(Error::Disposed {
                        id,
                        date: disposal.date,
                    });
                }
            }
            Ok(fields)
        })
    }

    /// Records an asset's disposal (廃棄), if its version is still `expected_version`.
    pub fn dispose(
        &mut self,
        id: AssetId,
        expected_version: u64,
        disposal: Disposal,
    ) -> Result<Asset> {
        validate_disposal(&disposal)?;
        self.change(id, expected_version, Action::Dispose, |current| {
            if let Some(existing) = &current.fields.disposal {
                return Err(Error::Disposed {
                    id,
                    date: existing.date,
                });
            }
            let mut fields = current.fields.clone();
            fields.disposal = Some(disposal);
            Ok(fields)
        })
    }

    /// Replaces an asset's fields with what `next_fields` makes of the current
    /// asset, in one write transaction, if its version is still
    /// `expected_version`; unchanged fields write nothing.
    fn change(
        &mut self,
        id: AssetId,
        expected_version: u64,
        action: Action,
        next_fields: impl FnOnce(&Asset) -> Result<AssetFields>,
    ) -> Result<Asset> {
        let policy = &self.policy;
        let mut result = None;
        let actor = self.actor.clone();
        write_in(&mut self.conn, &actor, |tx, log| {
            let current =
                get_in(tx, policy, id)?.ok_or_else(|| Error::NotFound { id: id.to_string() })?;
            if current.version != expected_version {
                return Err(Error::Conflict {
                    id,
                    expected: expected_version,
                    actual: current.version,
                });
            }
            let fields = next_fields(&current)?;
            if current.fields == fields {
                result = Some(current);
                return Ok(());
            }
            let next = Asset {
                id,
                fields,
                version: current.version + 1,
                created_at: current.created_at,
                updated_at: store::now(),
            };
            if !store::update_asset(tx, &next, current.version)? {
                return Err(Error::Conflict {
                    id,
                    expected: expected_version,
                    actual: current.version + 1,
                });
            }
            let before = audit_json(&current, log.at());
            let after = audit_json(&next, log.at());
            log.append(tx, &Change::asset(action, id, Some(&before), Some(&after)))?;
            result = Some(next);
            Ok(())
        })?;
        result.ok_or_else(|| Error::NotFound { id: id.to_string() })
    }

    /// Adds a link; both assets must exist, and the relation must fit their kinds.
    pub fn link(&mut self, link: Link) -> Result<()> {
        let from = self.get(link.from)?;
        let to = self.get(link.to)?;
        validate_link(&link, &from, &to)?;
        let record = to_json(&LinkRecord::from(&link));
        self.write(|tx, log| {
            let inserted = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO links (from_id, relation, to_id, sanitization, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        link.from,
                        link.relation.code(),
                        link.to,
                        link.sanitization.map(Sanitization::code),
                        store::now().to_string()
                    ])
                })
                .map_err(Error::storage("adding a link"))?;
            if inserted == 0 {
                return Err(Error::Link { from: link.from, relation: link.relation.code(), to: link.to, exists: true });
            }
            log.append(
                tx,
                &Change {
                    action: Action::Link,
                    asset_id: Some(link.from),
                    related_id: Some(link.to),
                    before: None,
                    after: Some(&record),
                },
            )
        })
    }

    /// Removes a link.
    pub fn unlink(&mut self, from: AssetId, relation: Relation, to: AssetId) -> Result<()> {
        self.write(|tx, log| {
            let sanitization: Option<Option<String>> = tx
                .query_row(
                    "SELECT sanitization FROM links WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                    params![from, relation.code(), to],
                    |row| row.get(0),
                )
                .optional()
                .map_err(Error::storage("removing a link"))?;
            let Some(sanitization) = sanitization else {
                return Err(Error::Link { from, relation: relation.code(), to, exists: false });
            };
            tx.execute(
                "DELETE FROM links WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                params![from, relation.code(), to],
            )
            .map_err(Error::storage("removing a link"))?;
            let record = to_json(&LinkRecord {
                from: from.to_string(),
                relation: relation.code().to_owned(),
                to: to.to_string(),
                sanitization,
            });
            log.append(
                tx,
                &Change {
                    action: Action::Unlink,
                    asset_id: Some(from),
                    related_id: Some(to),
                    before: Some(&record),
                    after: None,
                },
            )
        })
    }

    /// Every link, ordered by source, relation and target.
    pub fn links(&self) -> Result<Vec<Link>> {
        self.query_links("SELECT from_id, relation, to_id, sanitization FROM links ORDER BY from_id, relation, to_id", None)
    }

    /// The links from or to one asset.
    pub fn links_of(&self, id: AssetId) -> Result<Vec<Link>> {
        self.query_links(
            "SELECT from_id, relation, to_id, sanitization FROM links WHERE from_id = ?1 \
             UNION SELECT from_id, relation, to_id, sanitization FROM links WHERE to_id = ?1 \
             ORDER BY 1, 2, 3",
            Some(id),
        )
    }

    fn query_links(&self, sql: &str, id: Option<AssetId>) -> Result<Vec<Link>> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(Error::storage("reading links"))?;
        let params: Vec<&dyn rusqlite::ToSql> = id
            .as_ref()
            .map(|id| vec![id as &dyn rusqlite::ToSql])
            .unwrap_or_default();
        let mut rows = stmt
            .query(params.as_slice())
            .map_err(Error::storage("reading links"))?;
        let mut links = Vec::new();
        while let Some(row) = rows.next().map_err(Error::storage("reading links"))? {
            let from: AssetId = row.get(0).map_err(Error::storage("reading links"))?;
            let relation: String = row.get(1).map_err(Error::storage("reading links"))?;
            let to: AssetId = row.get(2).map_err(Error::storage("reading links"))?;
            let sanitization: Option<String> =
                row.get(3).map_err(Error::storage("reading links"))?;
            let corrupt = |what: &str, value: &str| Error::Corrupt {
                what: format!("a link from `{from}` has {what} `{value}`"),
            };
            links.push(Link {
                from,
                relation: Relation::parse(&relation).map_err(|_| corrupt("relation", &relation))?,
                to,
                sanitization: sanitization
                    .map(|s| Sanitization::parse(&s).map_err(|_| corrupt("sanitization", &s)))
                    .transpose()?,
            });
        }
        Ok(links)
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
        let (sql, values) = filter_sql(filter);
        let mut stmt = self
            .conn
            .prepare(&sql)
            .map_err(Error::storage("listing assets"))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .map_err(Error::storage("listing assets"))?;
        while let Some(row) = rows.next().map_err(Error::storage("listing assets"))? {
            visit(store::read_asset(&self.policy, row)?)?;
        }
        Ok(())
    }

    /// The audit entries about one asset, oldest first.
    pub fn history(&self, id: AssetId) -> Result<Vec<AuditEntry>> {
        if self.try_get(id)?.is_none() {
            return Err(Error::NotFound { id: id.to_string() });
        }
        audit::history(&self.conn, id)
    }

    /// Checks the database's integrity and recomputes the audit chain.
    pub fn verify(&self) -> Result<Verification> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(Error::storage("checking the database"))?;
        let problems: Vec<String> = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(Iterator::collect)
            .map_err(Error::storage("checking the database"))?;
        let database = if problems == ["ok"] {
            Vec::new()
        } else {
            problems
        };
        let foreign_keys: i64 = self
            .conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .map_err(Error::storage("checking the database"))?;
        let chain = audit::verify_chain(&self.conn)?;
        Ok(Verification {
            database,
            dangling_links: foreign_keys as u64,
            chain,
        })
    }

    /// Counts by organization × confidentiality, kind, segment and scope.
    pub fn summary(&self) -> Result<Summary> {
        let failed = Error::storage("counting assets");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT organization, confidentiality, kind, segment, exclusion, disposed_on IS NOT NULL, count(*) \
                 FROM assets GROUP BY 1, 2, 3, 4, 5, 6",
            )
            .map_err(Error::storage("counting assets"))?;
        let groups: Vec<SummaryGroup> = stmt
            .query_map([], |row| {
                Ok(SummaryGroup {
                    organization: row.get(0)?,
                    confidentiality: row.get(1)?,
                    kind: row.get(2)?,
                    segment: row.get(3)?,
                    exclusion: row.get(4)?,
                    disposed: row.get(5)?,
                    count: row.get::<_, i64>(6)? as u64,
                })
            })
            .and_then(Iterator::collect)
            .map_err(failed)?;
        let links: i64 = self
            .conn
            .query_row("SELECT count(*) FROM links", [], |row| row.get(0))
            .map_err(Error::storage("counting links"))?;
        let sum = |keep: &dyn Fn(&SummaryGroup) -> bool| {
            groups.iter().filter(|g| keep(g)).map(|g| g.count).sum()
        };
        let active = |g: &SummaryGroup| !g.disposed && g.exclusion.is_none();

        let mut summary = Summary {
            total: sum(&|_| true),
            in_scope: sum(&active),
            excluded: sum(&|g| !g.disposed && g.exclusion.is_some()),
            disposed: sum(&|g| g.disposed),
            links: links as u64,
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
            if levels.iter().any(|(_, n)| *n > 0) {
                summary.by_organization.push((org.code.clone(), levels));
            }
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

    /// Runs `change` in one immediate write transaction with an audit appender.
    fn write(
        &mut self,
        change: impl FnOnce(&Connection, &mut Appender<'_>) -> Result<()>,
    ) -> Result<()> {
        let actor = self.actor.clone();
        write_in(&mut self.conn, &actor, change)
    }
}

/// Runs `change` in an immediate transaction (taking the write lock first, so
/// the audit chain's head cannot move underneath) and commits it.
pub(crate) fn write_in(
    conn: &mut Connection,
    actor: &str,
    change: impl FnOnce(&Connection, &mut Appender<'_>) -> Result<()>,
) -> Result<()> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(Error::storage("starting a write"))?;
    let mut log = Appender::start(&tx, actor, store::now())?;
    change(&tx, &mut log)?;
    tx.commit().map_err(Error::storage("committing a write"))
}

pub(crate) fn get_in(conn: &Connection, policy: &Policy, id: AssetId) -> Result<Option<Asset>> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {} FROM assets WHERE id = ?1",
            store::ASSET_COLUMNS
        ))
        .map_err(Error::storage("reading an asset"))?;
    let mut rows = stmt
        .query([id])
        .map_err(Error::storage("reading an asset"))?;
    match rows.next().map_err(Error::storage("reading an asset"))? {
        Some(row) => store::read_asset(policy, row).map(Some),
        None => Ok(None),
    }
}

impl Change<'_> {
    fn asset<'a>(
        action: Action,
        id: AssetId,
        before: Option<&'a str>,
        after: Option<&'a str>,
    ) -> Change<'a> {
        Change {
            action,
            asset_id: Some(id),
            related_id: None,
            before,
            after,
        }
    }
}

/// One row of the summary's grouping query.
struct SummaryGroup {
    organization: String,
    confidentiality: String,
    kind: String,
    segment: Option<String>,
    exclusion: Option<String>,
    disposed: bool,
    count: u64,
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

/// Builds the listing query; every value is a bound parameter.
pub(crate) fn filter_sql(filter: &Filter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut clauses: Vec<String> = Vec::new();
    let mut values = Vec::new();
    // `template` holds one `?`, numbered here so that every value is bound.
    let mut bind = |template: String, value: Value| {
        values.push(value);
        clauses.push(template.replace('?', &format!("?{}", values.len())));
    };
    if let Some(org) = &filter.organization {
        bind(
            "organization = ?".to_owned(),
            Value::Text(org.as_str().to_owned()),
        );
    }
    if let Some(kind) = filter.kind {
        bind("kind = ?".to_owned(), Value::Text(kind.code().to_owned()));
    }
    if let Some(segment) = filter.segment {
        bind(
            "segment = ?".to_owned(),
            Value::Text(segment.code().to_owned()),
        );
    }
    for (level, column) in [
        (&filter.min_confidentiality, "confidentiality_rank"),
        (&filter.min_integrity, "integrity_rank"),
        (&filter.min_availability, "availability_rank"),
    ] {
        if let Some(level) = level {
            bind(
                format!("{column} >= ?"),
                Value::Integer(level.rank().into()),
            );
        }
    }
    for (flag, column) in [
        (filter.personal, "personal"),
        (filter.sensitive, "sensitive"),
        (filter.my_number, "my_number"),
    ] {
        if let Some(flag) = flag {
            bind(format!("{column} = ?"), Value::Integer(flag.into()));
        }
    }
    if let Some(text) = &filter.name_contains {
        bind("instr(name, ?) > 0".to_owned(), Value::Text(text.clone()));
    }
    match filter.in_scope {
        Some(true) => clauses.push("exclusion IS NULL".to_owned()),
        Some(false) => clauses.push("exclusion IS NOT NULL".to_owned()),
        None => {}
    }
    match filter.disposed {
        Disposed::Exclude => clauses.push("disposed_on IS NULL".to_owned()),
        Disposed::Include => {}
        Disposed::Only => clauses.push("disposed_on IS NOT NULL".to_owned()),
    }
    let mut sql = format!("SELECT {} FROM assets", store::ASSET_COLUMNS);
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    (sql, values)
}

/// Trims the free-text fields as an import trims its cells, and drops extra
/// attributes left empty, so that the register holds only values that export
/// and import carry unchanged (issue 6: the round-trip property found notes
/// and extra values with surrounding line breaks). A value of spaces only is
/// left for [`validate`] to refuse where it refuses one.
fn normalize(fields: &mut AssetFields) {
    fn trim(value: &mut String) {
        let trimmed = value.trim();
        if !trimmed.is_empty() && trimmed.len() != value.len() {
            *value = trimmed.to_owned();
        }
    }
    let department = fields.department.trim();
    if department.len() != fields.department.len() {
        fields.department = department.to_owned();
    }
    for value in [&mut fields.manager, &mut fields.location, &mut fields.notes]
        .into_iter()
        .flatten()
    {
        trim(value);
    }
    if let Some(hosting) = &mut fields.hosting {
        hosting
            .provider
            .iter_mut()
            .chain(&mut hosting.contract)
            .for_each(trim);
    }
    if let Some(disposal) = &mut fields.disposal {
        trim(&mut disposal.person);
        [
            &mut disposal.method,
            &mut disposal.approver,
            &mut disposal.certificate,
        ]
        .into_iter()
        .flatten()
        .for_each(trim);
    }
    if fields
        .extra
        .iter()
        .any(|(k, v)| k.trim().len() != k.len() || v.trim().len() != v.len())
    {
        let mut extra = crate::model::Extra::new();
        for (key, value) in fields.extra.iter() {
            let (key, value) = (key.trim(), value.trim());
            if !key.is_empty() && !value.is_empty() {
                extra.insert(key, value);
            }
        }
        fields.extra = extra;
    }
}

/// Checks fields against the policy beyond what their types guarantee.
pub(crate) fn validate(policy: &Policy, fields: &AssetFields) -> Result<()> {
    let org = policy.organization(fields.organization.as_str())?;
    if org.code != fields.organization {
        return Err(Error::unknown(
            "organization",
            fields.organization.as_str(),
            policy.organizations().iter().map(|o| o.code.as_str()),
        ));
    }
    for axis in Axis::ALL {
        let level = fields.classification.get(axis);
        if level.axis() != axis || policy.definition(level).is_none() {
            return Err(Error::unknown(
                axis.code(),
                level.code(),
                policy.scale(axis).levels.iter().map(|l| l.level.code()),
            ));
        }
    }
    for control in &fields.controls {
        policy.control(control.as_str())?;
    }
    if let Scope::Excluded(reason) = &fields.scope {
        let exclusion = policy.exclusion(reason.as_str())?;
        if !exclusion.organizations.contains(&fields.organization) {
            return Err(Error::invalid(
                "exclusion_reason",
                reason.as_str(),
                format!(
                    "only {} may exclude assets for this reason",
                    exclusion
                        .organizations
                        .iter()
                        .map(|o| policy.organization_ja(o))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    for (field, value) in [
        ("manager", fields.manager.as_deref()),
        ("location", fields.location.as_deref()),
        ("notes", fields.notes.as_deref()),
    ] {
        if value.is_some_and(|v| v.trim().is_empty()) {
            return Err(Error::invalid(
                field,
                value.unwrap_or_default(),
                "an empty value is written as no value",
            ));
        }
    }
    if let Some(disposal) = &fields.disposal {
        validate_disposal(disposal)?;
    }
    Ok(())
}

fn validate_disposal(disposal: &Disposal) -> Result<()> {
    if disposal.person.trim().is_empty() {
        return Err(Error::invalid(
            "disposed_by",
            &disposal.person,
            "a disposal names who did it",
        ));
    }
    Ok(())
}

/// Checks that a relation fits the kinds of the assets it joins.
pub(crate) fn validate_link(link: &Link, from: &Asset, to: &Asset) -> Result<()> {
    if link.from == link.to {
        return Err(Error::invalid(
            "link",
            from.name(),
            "an asset cannot be linked to itself",
        ));
    }
    let (from_kind, to_kind) = (from.fields.kind, to.fields.kind);
    let expected = match link.relation {
        Relation::StoredOn => (from_kind == Kind::Information && to_kind == Kind::NetworkSystem)
            .then_some(())
            .ok_or("stored_on joins information (イ) to a system or medium (ア)"),
        Relation::Describes => (from_kind == Kind::SystemDocument
            && to_kind == Kind::NetworkSystem)
            .then_some(())
            .ok_or("describes joins a system document (ウ) to a system (ア)"),
        Relation::ConnectsTo | Relation::TransfersTo => (from_kind == Kind::NetworkSystem
            && to_kind == Kind::NetworkSystem)
            .then_some(())
            .ok_or("connects_to and transfers_to join two systems (ア)"),
        Relation::CopyOf => (from_kind == to_kind)
            .then_some(())
            .ok_or("copy_of joins two assets of the same kind"),
    };
    expected.map_err(|reason| {
        Error::invalid(
            "relation",
            format!("{} {} {}", from.name(), link.relation, to.name()),
            reason,
        )
    })?;
    if link.sanitization.is_some() && link.relation != Relation::TransfersTo {
        return Err(Error::invalid(
            "sanitization",
            link.sanitization
                .map(Sanitization::code)
                .unwrap_or_default(),
            "only transfers_to carries a sanitization",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;

//! The compact, in-memory copy of a register that the rules run on.
//!
//! One [`Node`] per asset holds only what the rules read: ranks as bytes,
//! flags as bits, controls as a bitset over the policy's controls. Assets are
//! sorted by id, so every choice that depends on order (which path explains a
//! level) depends on ids only, never on the order of insertion.

use std::collections::HashMap;

use foldhash::fast::RandomState;
use jiff::civil::Date;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetId, HostingKind, Kind, Link, Medium, Relation, Sanitization, Segment,
};
use crate::policy::{Axis, Level, OrgCode, Policy};
use crate::rules::{AssetRef, CheckOptions, Explanation, Proposal, Report, WhatIf};

/// "No index".
pub(crate) const NONE: u32 = u32::MAX;

pub(crate) const MY_NUMBER: u16 = 1;
pub(crate) const MANAGER: u16 = 1 << 1;
pub(crate) const PROVIDER: u16 = 1 << 2;
pub(crate) const CONTRACT: u16 = 1 << 3;
pub(crate) const DISPOSED: u16 = 1 << 4;
pub(crate) const DISPOSAL_METHOD: u16 = 1 << 5;
pub(crate) const DISPOSAL_APPROVER: u16 = 1 << 6;

/// What the rules know of one asset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    /// Declared controls, one bit per control in the policy's order.
    pub(crate) controls: u64,
    pub(crate) reviewed_on: Option<Date>,
    /// Index into the policy's organizations.
    pub(crate) org: u16,
    /// 0 in scope, else 1 + index into the policy's exclusions.
    pub(crate) exclusion: u16,
    pub(crate) flags: u16,
    /// Ranks on C, I, A.
    pub(crate) ranks: [u8; 3],
    pub(crate) kind: Kind,
    pub(crate) segment: Option<Segment>,
    pub(crate) medium: Option<Medium>,
    pub(crate) hosting: Option<HostingKind>,
}

impl Node {
    pub(crate) fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// In scope and not disposed of: checked, and passes levels on.
    pub(crate) fn is_active(&self) -> bool {
        self.exclusion == 0 && !self.has(DISPOSED)
    }
}

/// A link between two assets, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    pub(crate) from: u32,
    pub(crate) relation: Relation,
    pub(crate) to: u32,
    pub(crate) sanitization: Option<Sanitization>,
}

/// A compact copy of a register's assets and links, for the rules.
///
/// Build it with [`Register::snapshot`](crate::Register::snapshot) or
/// [`Snapshot::new`]; then [`check`](Snapshot::check),
/// [`explain`](Snapshot::explain) or ask [`what_if`](Snapshot::what_if).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) policy: Policy,
    pub(crate) ids: Vec<AssetId>,
    pub(crate) nodes: Vec<Node>,
    names: String,
    name_spans: Vec<(u32, u32)>,
    /// Sorted by source, relation and target.
    pub(crate) edges: Vec<Edge>,
    /// Id → index, for links and look-ups (a fast hash: the keys are ids
    /// from the register, not attacker-chosen keys in a long-lived table).
    positions: HashMap<AssetId, u32, RandomState>,
}

/// Maps between policy codes and the small indexes of [`Node`].
pub(crate) struct Codes<'p> {
    policy: &'p Policy,
    /// Per axis, rank → whether the policy has a level of that rank.
    ranks: [[bool; 256]; 3],
    controls_cache: HashMap<Box<str>, u64, RandomState>,
}

impl<'p> Codes<'p> {
    pub(crate) fn new(policy: &'p Policy) -> Result<Self> {
        if policy.controls().len() > 64 {
            return Err(Error::PolicyInvalid {
                origin: policy.name().to_owned(),
                reason: "the self-inspection supports at most 64 controls".to_owned(),
            });
        }
        let mut ranks = [[false; 256]; 3];
        for axis in Axis::ALL {
            for def in &policy.scale(axis).levels {
                ranks[axis as usize][usize::from(def.level.rank())] = true;
            }
        }
        Ok(Codes {
            policy,
            ranks,
            controls_cache: HashMap::default(),
        })
    }

    fn org(&self, code: &str) -> Option<u16> {
        let orgs = self.policy.organizations();
        orgs.iter()
            .position(|o| o.code.as_str() == code)
            .or_else(|| {
                let found = self.policy.organization(code).ok()?;
                orgs.iter().position(|o| o.code == found.code)
            })
            .map(|i| i as u16)
    }

    fn exclusion(&self, code: &str) -> Option<u16> {
        let exclusions = self.policy.exclusions();
        exclusions
            .iter()
            .position(|e| e.code.as_str() == code)
            .or_else(|| {
                let found = self.policy.exclusion(code).ok()?;
                exclusions.iter().position(|e| e.code == found.code)
            })
            .map(|i| i as u16 + 1)
    }

    fn control_bit(&self, code: &str) -> Option<u64> {
        let controls = self.policy.controls();
        controls
            .iter()
            .position(|c| c.code.as_str() == code)
            .or_else(|| {
                let found = self.policy.control(code).ok()?;
                controls.iter().position(|c| c.code == found.code)
            })
            .map(|i| 1u64 << i)
    }

    /// The bitset of a `;`-separated list of control codes, cached by text
    /// (registers repeat the same few combinations).
    fn controls(&mut self, text: &str) -> Option<u64> {
        if let Some(bits) = self.controls_cache.get(text) {
            return Some(*bits);
        }
        let mut bits = 0;
        for code in text.split(';').filter(|s| !s.is_empty()) {
            bits |= self.control_bit(code)?;
        }
        if self.controls_cache.len() < 65_536 {
            self.controls_cache.insert(text.into(), bits);
        }
        Some(bits)
    }

    fn rank(&self, axis: Axis, rank: i64) -> Option<u8> {
        let rank = u8::try_from(rank).ok()?;
        self.ranks[axis as usize][usize::from(rank)].then_some(rank)
    }
}

/// The columns [`Snapshot::load`] reads, in order.
const COLUMNS: &str = "id, kind, name, organization, manager IS NOT NULL, \
    confidentiality_rank, integrity_rank, availability_rank, segment, medium, my_number, \
    controls, hosting, coalesce(trim(provider) <> '', 0), coalesce(trim(contract) <> '', 0), \
    exclusion, reviewed_on, disposed_on IS NOT NULL, coalesce(trim(disposal_method) <> '', 0), \
    coalesce(trim(disposal_approver) <> '', 0)";

impl Snapshot {
    /// A snapshot of assets and links held anywhere (e.g. not yet saved).
    ///
    /// Every link must join two of the assets; the assets must fit the
    /// policy (as the register makes sure they do).
    pub fn new<'a>(
        policy: &Policy,
        assets: impl IntoIterator<Item = &'a Asset>,
        links: &[Link],
    ) -> Result<Snapshot> {
        let codes = Codes::new(policy)?;
        let mut rows = Vec::new();
        let mut names = String::new();
        for asset in assets {
            let f = &asset.fields;
            let corrupt = |what: &str, value: &str| {
                Error::invalid(what_field(what), value, "not a value of the policy")
            };
            let mut ranks = [0u8; 3];
            for axis in Axis::ALL {
                let level = f.classification.get(axis);
                ranks[axis as usize] = codes
                    .rank(axis, i64::from(level.rank()))
                    .ok_or_else(|| corrupt(axis.code(), level.code()))?;
            }
            let mut controls = 0;
            for control in &f.controls {
                controls |= codes
                    .control_bit(control.as_str())
                    .ok_or_else(|| corrupt("control", control.as_str()))?;
            }
            let mut flags = 0;
            let mut set = |flag: u16, on: bool| {
                if on {
                    flags |= flag;
                }
            };
            set(MY_NUMBER, f.personal_data.my_number);
            set(MANAGER, f.manager.as_deref().is_some_and(non_blank));
            set(
                PROVIDER,
                f.hosting
                    .as_ref()
                    .and_then(|h| h.provider.as_deref())
                    .is_some_and(non_blank),
            );
            set(
                CONTRACT,
                f.hosting
                    .as_ref()
                    .and_then(|h| h.contract.as_deref())
                    .is_some_and(non_blank),
            );
            set(DISPOSED, f.disposal.is_some());
            set(
                DISPOSAL_METHOD,
                f.disposal
                    .as_ref()
                    .and_then(|d| d.method.as_deref())
                    .is_some_and(non_blank),
            );
            set(
                DISPOSAL_APPROVER,
                f.disposal
                    .as_ref()
                    .and_then(|d| d.approver.as_deref())
                    .is_some_and(non_blank),
            );
            let node = Node {
                controls,
                reviewed_on: f.reviewed_on,
                org: codes
                    .org(f.organization.as_str())
                    .ok_or_else(|| corrupt("organization", f.organization.as_str()))?,
                exclusion: match f.scope.exclusion() {
                    None => 0,
                    Some(code) => codes
                        .exclusion(code.as_str())
                        .ok_or_else(|| corrupt("exclusion_reason", code.as_str()))?,
                },
                flags,
                ranks,
                kind: f.kind,
                segment: f.segment,
                medium: f.medium,
                hosting: f.hosting.as_ref().map(|h| h.kind),
            };
            let span = push_name(&mut names, f.name.as_str())?;
            rows.push((asset.id, node, span));
        }
        let mut snapshot = Snapshot::assemble(policy, rows, names);
        let mut edges = Vec::with_capacity(links.len());
        for link in links {
            let from = snapshot.index(link.from).ok_or_else(|| Error::NotFound {
                id: link.from.to_string(),
            })?;
            let to = snapshot.index(link.to).ok_or_else(|| Error::NotFound {
                id: link.to.to_string(),
            })?;
            edges.push(Edge {
                from,
                relation: link.relation,
                to,
                sanitization: link.sanitization,
            });
        }
        edges.sort_unstable();
        edges.dedup_by(|a, b| a.from == b.from && a.relation == b.relation && a.to == b.to);
        snapshot.edges = edges;
        Ok(snapshot)
    }

    /// Reads the columns the rules need straight from the store.
    pub(crate) fn load(conn: &Connection, policy: &Policy) -> Result<Snapshot> {
        let failed = || Error::storage("reading assets for the self-inspection");
        let mut codes = Codes::new(policy)?;
        let count: i64 = conn
            .query_row("SELECT count(*) FROM assets", [], |row| row.get(0))
            .map_err(failed())?;
        let mut rows = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        let mut names = String::new();
        let mut stmt = conn
            .prepare(&format!("SELECT {COLUMNS} FROM assets"))
            .map_err(failed())?;
        let mut query = stmt.query([]).map_err(failed())?;
        while let Some(row) = query.next().map_err(failed())? {
            let value = |index: usize| row.get_ref(index).map_err(failed());
            let id: AssetId = row.get(0).map_err(failed())?;
            let corrupt = |what: &str, value: &str| Error::Corrupt {
                what: format!("asset `{id}` has {what} `{value}`"),
            };
            let text = |index: usize| -> Result<Option<&str>> {
                match value(index)? {
                    ValueRef::Null => Ok(None),
                    ValueRef::Text(bytes) => std::str::from_utf8(bytes)
                        .map(Some)
                        .map_err(|_| corrupt("text", "not UTF-8")),
                    other => Err(corrupt(
                        "a value of type",
                        other.data_type().to_string().as_str(),
                    )),
                }
            };
            let int = |index: usize| -> Result<i64> {
                match value(index)? {
                    ValueRef::Integer(n) => Ok(n),
                    other => Err(corrupt(
                        "a value of type",
                        other.data_type().to_string().as_str(),
                    )),
                }
            };
            let kind_text = text(1)?.unwrap_or_default();
            let kind = Kind::parse(kind_text).map_err(|_| corrupt("kind", kind_text))?;
            let name = text(2)?.unwrap_or_default();
            let org_text = text(3)?.unwrap_or_default();
            let org = codes
                .org(org_text)
                .ok_or_else(|| corrupt("organization", org_text))?;
            let mut ranks = [0u8; 3];
            for (i, axis) in Axis::ALL.into_iter().enumerate() {
                let rank = int(5 + i)?;
                ranks[i] = codes
                    .rank(axis, rank)
                    .ok_or_else(|| corrupt(axis.code(), &rank.to_string()))?;
            }
            let segment = text(8)?
                .map(|s| Segment::parse(s).map_err(|_| corrupt("segment", s)))
                .transpose()?;
            let medium = text(9)?
                .map(|s| Medium::parse(s).map_err(|_| corrupt("medium", s)))
                .transpose()?;
            let controls_text = text(11)?.unwrap_or_default();
            let controls = codes
                .controls(controls_text)
                .ok_or_else(|| corrupt("controls", controls_text))?;
            let hosting = text(12)?
                .map(|s| HostingKind::parse(s).map_err(|_| corrupt("hosting", s)))
                .transpose()?;
            let exclusion = match text(15)? {
                None => 0,
                Some(code) => codes
                    .exclusion(code)
                    .ok_or_else(|| corrupt("exclusion", code))?,
            };
            let reviewed_on = text(16)?
                .map(|s| iso_date(s).ok_or_else(|| corrupt("reviewed_on", s)))
                .transpose()?;
            let mut flags = 0;
            for (index, flag) in [
                (4, MANAGER),
                (10, MY_NUMBER),
                (13, PROVIDER),
                (14, CONTRACT),
                (17, DISPOSED),
                (18, DISPOSAL_METHOD),
                (19, DISPOSAL_APPROVER),
            ] {
                if int(index)? != 0 {
                    flags |= flag;
                }
            }
            let node = Node {
                controls,
                reviewed_on,
                org,
                exclusion,
                flags,
                ranks,
                kind,
                segment,
                medium,
                hosting,
            };
            let span = push_name(&mut names, name)?;
            rows.push((id, node, span));
        }
        drop(query);
        drop(stmt);
        let mut snapshot = Snapshot::assemble(policy, rows, names);

        let failed = || Error::storage("reading links for the self-inspection");
        let mut stmt = conn
            .prepare("SELECT from_id, relation, to_id, sanitization FROM links")
            .map_err(failed())?;
        let mut query = stmt.query([]).map_err(failed())?;
        let mut edges = Vec::new();
        while let Some(row) = query.next().map_err(failed())? {
            let from: AssetId = row.get(0).map_err(failed())?;
            let to: AssetId = row.get(2).map_err(failed())?;
            let corrupt = |what: &str, value: &str| Error::Corrupt {
                what: format!("a link from `{from}` has {what} `{value}`"),
            };
            let relation = match row.get_ref(1).map_err(failed())? {
                ValueRef::Text(bytes) => {
                    let s = std::str::from_utf8(bytes).unwrap_or_default();
                    Relation::parse(s).map_err(|_| corrupt("relation", s))?
                }
                _ => return Err(corrupt("relation", "(not text)")),
            };
            let sanitization = match row.get_ref(3).map_err(failed())? {
                ValueRef::Text(bytes) => {
                    let s = std::str::from_utf8(bytes).unwrap_or_default();
                    Some(Sanitization::parse(s).map_err(|_| corrupt("sanitization", s))?)
                }
                _ => None,
            };
            let index = |id: AssetId| {
                snapshot
                    .index(id)
                    .ok_or_else(|| corrupt("a missing asset", &id.to_string()))
            };
            edges.push(Edge {
                from: index(from)?,
                relation,
                to: index(to)?,
                sanitization,
            });
        }
        edges.sort_unstable();
        snapshot.edges = edges;
        Ok(snapshot)
    }

    fn assemble(
        policy: &Policy,
        mut rows: Vec<(AssetId, Node, (u32, u32))>,
        names: String,
    ) -> Snapshot {
        rows.sort_unstable_by_key(|(id, _, _)| *id);
        let mut ids = Vec::with_capacity(rows.len());
        let mut nodes = Vec::with_capacity(rows.len());
        let mut name_spans = Vec::with_capacity(rows.len());
        let mut positions = HashMap::with_capacity_and_hasher(rows.len(), RandomState::default());
        for (index, (id, node, span)) in rows.into_iter().enumerate() {
            positions.insert(id, index as u32);
            ids.push(id);
            nodes.push(node);
            name_spans.push(span);
        }
        Snapshot {
            policy: policy.clone(),
            ids,
            nodes,
            names,
            name_spans,
            edges: Vec::new(),
            positions,
        }
    }

    /// The policy the snapshot is checked against.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// How many assets it holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when it holds no assets.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Runs the self-inspection.
    pub fn check(&self, options: &CheckOptions) -> Report {
        let inheritance = crate::rules::inherit::Inheritance::compute(self);
        crate::rules::check::run(self, &inheritance, options)
    }

    /// Explains one asset's effective classification.
    pub fn explain(&self, id: AssetId, options: &CheckOptions) -> Result<Explanation> {
        let index = self
            .index(id)
            .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
        let inheritance = crate::rules::inherit::Inheritance::compute(self);
        let report = crate::rules::check::run(self, &inheritance, options);
        Ok(crate::rules::check::explain(
            self,
            &inheritance,
            index,
            report,
        ))
    }

    /// Says what a proposed link or reclassification would raise.
    pub fn what_if(&self, proposal: &Proposal, options: &CheckOptions) -> Result<WhatIf> {
        let mut changed = self.clone();
        match proposal {
            Proposal::Link(link) => {
                let from = self.index(link.from).ok_or_else(|| Error::NotFound {
                    id: link.from.to_string(),
                })?;
                let to = self.index(link.to).ok_or_else(|| Error::NotFound {
                    id: link.to.to_string(),
                })?;
                if from == to {
                    return Err(Error::invalid(
                        "link",
                        self.name(from),
                        "an asset cannot be linked to itself",
                    ));
                }
                let (from_kind, to_kind) =
                    (self.nodes[from as usize].kind, self.nodes[to as usize].kind);
                let fits = match link.relation {
                    Relation::StoredOn => {
                        from_kind == Kind::Information && to_kind == Kind::NetworkSystem
                    }
                    Relation::Describes => {
                        from_kind == Kind::SystemDocument && to_kind == Kind::NetworkSystem
                    }
                    Relation::ConnectsTo | Relation::TransfersTo => {
                        from_kind == Kind::NetworkSystem && to_kind == Kind::NetworkSystem
                    }
                    Relation::CopyOf => from_kind == to_kind,
                };
                if !fits {
                    return Err(Error::invalid(
                        "relation",
                        format!("{} {} {}", self.name(from), link.relation, self.name(to)),
                        "the relation does not fit the kinds of the assets (see Register::link)",
                    ));
                }
                let edge = Edge {
                    from,
                    relation: link.relation,
                    to,
                    sanitization: link.sanitization,
                };
                if let Err(at) = changed.edges.binary_search(&edge) {
                    changed.edges.insert(at, edge);
                }
            }
            Proposal::Reclassify { id, classification } => {
                let index = self
                    .index(*id)
                    .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
                let codes = Codes::new(&self.policy)?;
                for axis in Axis::ALL {
                    let level = classification.get(axis);
                    changed.nodes[index as usize].ranks[axis as usize] = codes
                        .rank(axis, i64::from(level.rank()))
                        .filter(|_| level.axis() == axis)
                        .ok_or_else(|| {
                            Error::unknown(
                                axis.code(),
                                level.code(),
                                self.policy
                                    .scale(axis)
                                    .levels
                                    .iter()
                                    .map(|l| l.level.code()),
                            )
                        })?;
                }
            }
        }
        Ok(crate::rules::check::what_if(self, &changed, options))
    }

    /// The index of an asset.
    pub(crate) fn index(&self, id: AssetId) -> Option<u32> {
        self.positions.get(&id).copied()
    }

    pub(crate) fn name(&self, index: u32) -> &str {
        let (start, len) = self.name_spans[index as usize];
        self.names
            .get(start as usize..(start + len) as usize)
            .unwrap_or_default()
    }

    pub(crate) fn asset_ref(&self, index: u32) -> AssetRef {
        AssetRef {
            id: self.ids[index as usize],
            name: self.name(index).to_owned(),
            kind: self.nodes[index as usize].kind,
        }
    }

    pub(crate) fn org_code(&self, index: u32) -> OrgCode {
        self.policy.organizations()[usize::from(self.nodes[index as usize].org)]
            .code
            .clone()
    }

    /// The policy's level on an axis with this rank.
    pub(crate) fn level(&self, axis: Axis, rank: u8) -> Level {
        self.policy
            .scale(axis)
            .levels
            .iter()
            .find(|def| def.level.rank() == rank)
            .map_or_else(|| self.policy.lowest(axis).clone(), |def| def.level.clone())
    }
}

/// Parses the stored `YYYY-MM-DD` form without a general parser (a million
/// rows each have one).
fn iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return s.parse().ok();
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i16> {
        b[range].iter().try_fold(0i16, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i16::from(c - b'0'))
        })
    };
    Date::new(digits(0..4)?, digits(5..7)? as i8, digits(8..10)? as i8).ok()
}

fn non_blank(s: &str) -> bool {
    !s.trim().is_empty()
}

fn what_field(what: &str) -> &'static str {
    match what {
        "confidentiality" => "confidentiality",
        "integrity" => "integrity",
        "availability" => "availability",
        "control" => "controls",
        "organization" => "organization",
        _ => "exclusion_reason",
    }
}

fn push_name(names: &mut String, name: &str) -> Result<(u32, u32)> {
    let start = u32::try_from(names.len()).ok();
    let len = u32::try_from(name.len()).ok();
    match (start, len) {
        (Some(start), Some(len)) if start.checked_add(len).is_some() => {
            names.push_str(name);
            Ok((start, len))
        }
        _ => Err(Error::invalid(
            "assets",
            name,
            "the names of all assets together exceed 4 GiB",
        )),
    }
}

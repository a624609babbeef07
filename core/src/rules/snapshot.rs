//! The compact, in-memory copy of a register that the rules run on: plain
//! data, built from assets held anywhere or from the store's rows.
//!
//! One [`Node`] per asset holds only what the rules read: ranks as bytes,
//! flags as bits, controls as a bitset over the policy's controls. Assets are
//! sorted by id, so every choice that depends on order (which path explains a
//! level) depends on ids only, never on the order of insertion.

use std::collections::HashMap;
use std::ops::Range;

use foldhash::fast::RandomState;
use jiff::civil::Date;

use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetId, Classification, HostingKind, Kind, Link, Medium, Relation, Sanitization,
    Segment,
};
use crate::mynumber;
use crate::policy::{Axis, Exclusion, Level, LevelDef, OrgCode, Policy};
pub(crate) use crate::rules::tracked::{CorrectionNode, ProcessNode};
use crate::store::{AssetRow, LinkRow};
use crate::table::{Cell, Column, FREE_TEXT};

/// "No index".
pub(crate) const NONE: u32 = u32::MAX;

pub(crate) const MY_NUMBER: u16 = 1;
pub(crate) const MANAGER: u16 = 1 << 1;
pub(crate) const PROVIDER: u16 = 1 << 2;
pub(crate) const CONTRACT: u16 = 1 << 3;
pub(crate) const DISPOSED: u16 = 1 << 4;
pub(crate) const DISPOSAL_METHOD: u16 = 1 << 5;
pub(crate) const DISPOSAL_APPROVER: u16 = 1 << 6;
pub(crate) const DISPOSAL_CERTIFICATE: u16 = 1 << 7;
/// The disposal method is one the policy marks as done by a contractor.
pub(crate) const DISPOSAL_OUTSOURCED: u16 = 1 << 8;
/// The disposal's approver is the person who disposed of it.
pub(crate) const SELF_APPROVED: u16 = 1 << 9;
/// A disposal method the policy does not list as unrecoverable.
pub(crate) const METHOD_UNLISTED: u16 = 1 << 10;

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
    /// The confidentiality rank the asset's personal data requires (0: none).
    pub(crate) floor: u8,
    /// 1 + the index of the policy's floor that sets [`Node::floor`] (0: none).
    pub(crate) floor_fact: u8,
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

    /// Holds electronic records (not paper).
    pub(crate) fn is_electronic(&self) -> bool {
        self.medium.is_none_or(Medium::is_electronic)
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

/// A free text of an asset holding a number shaped like a 個人番号: one the
/// register took before it refused them, for `text.my_number_like`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberInText {
    pub(crate) column: Column,
    /// The key of an extra attribute ([`Column::Extra`]).
    pub(crate) key: Option<String>,
    /// The number, masked (`1234********`).
    pub(crate) masked: String,
}

/// The numbers shaped like a 個人番号 in one free text.
fn scan(column: Column, text: &str, out: &mut Vec<NumberInText>) {
    if !mynumber::may_hold_one(text) {
        return;
    }
    if column == Column::Extra {
        // As stored, a JSON array of pairs; anything else is scanned whole.
        if let Ok(pairs) = serde_json::from_str::<Vec<(String, String)>>(text) {
            for (key, value) in &pairs {
                scan_extra(key, value, out);
            }
            return;
        }
    }
    if let Some(found) = mynumber::find(text) {
        out.push(NumberInText {
            column,
            key: None,
            masked: found.masked,
        });
    }
}

/// The numbers shaped like a 個人番号 in an extra attribute's key or value.
fn scan_extra(key: &str, value: &str, out: &mut Vec<NumberInText>) {
    if let Some(found) = mynumber::find(key).or_else(|| mynumber::find(value)) {
        out.push(NumberInText {
            column: Column::Extra,
            key: Some(key.to_owned()),
            masked: found.masked,
        });
    }
}

/// An exception (例外措置) not ended, as the rules read it.
#[derive(Debug, Clone)]
pub(crate) struct ExceptionNode {
    pub(crate) id: i64,
    /// The rule's code.
    pub(crate) rule: &'static str,
    pub(crate) asset: u32,
    pub(crate) related: Option<u32>,
    pub(crate) approved_on: Date,
    pub(crate) expires_on: Option<Date>,
    pub(crate) approver: String,
    pub(crate) reason: String,
}

/// An asset named in a finding, an explanation or a risk entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AssetRef {
    /// The id.
    pub id: AssetId,
    /// The name.
    pub name: String,
    /// ア, イ or ウ.
    pub kind: Kind,
}

/// A compact copy of a register's assets and links, for the rules.
///
/// Build it with [`Register::snapshot`](crate::Register::snapshot) or
/// [`Snapshot::new`]; then [`check`](Snapshot::check),
/// [`explain`](Snapshot::explain) or ask [`what_if`](Snapshot::what_if).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub(crate) policy: Policy,
    /// Sorted: an asset's index is its id's place here (a binary search
    /// rather than a map from ids, which cost more than 30 bytes an asset).
    pub(crate) ids: Vec<AssetId>,
    pub(crate) nodes: Vec<Node>,
    names: String,
    name_spans: Vec<(u32, u32)>,
    /// Sorted by source, relation and target.
    pub(crate) edges: Vec<Edge>,
    /// The exceptions not ended (from the register; none for [`Snapshot::new`]).
    pub(crate) exceptions: Vec<ExceptionNode>,
    /// The tracked findings due (from the register; none for [`Snapshot::new`]).
    pub(crate) corrections: Vec<CorrectionNode>,
    /// The 事務 of 特定個人情報 (from the register; none for [`Snapshot::new`]).
    pub(crate) processes: Vec<ProcessNode>,
    /// Free texts holding numbers shaped like a 個人番号, by asset index
    /// (few or none: the register refuses them since they were found).
    pub(crate) numbers: Vec<(u32, NumberInText)>,
}

/// Maps between policy codes and the small indexes of [`Node`].
struct Codes<'p> {
    policy: &'p Policy,
    /// Per axis, rank → whether the policy has a level of that rank.
    ranks: [[bool; 256]; 3],
    controls_cache: HashMap<Box<str>, u64, RandomState>,
}

impl<'p> Codes<'p> {
    fn new(policy: &'p Policy) -> Result<Self> {
        if policy.controls().len() > 64 {
            return Err(Error::PolicyInvalid {
                origin: policy.name().to_owned(),
                reason: crate::text::Localized::new(
                    "自己点検が扱える管理策は 64 までです",
                    "the self-inspection supports at most 64 controls",
                ),
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

    /// The floor of an asset's personal data: (rank, 1 + floor index).
    fn floor(
        &self,
        personal: bool,
        sensitive: bool,
        my_number: bool,
        records: Option<u64>,
    ) -> (u8, u8) {
        self.policy
            .floor(personal, sensitive, my_number, records)
            .map_or((0, 0), |i| {
                (
                    self.policy.floors()[i].level.rank(),
                    u8::try_from(i + 1).unwrap_or(u8::MAX),
                )
            })
    }

    /// The flags of a disposal method: unlisted, or done by a contractor.
    fn disposal_method(&self, method: Option<&str>) -> u16 {
        let Some(method) = method.filter(|m| non_blank(m)) else {
            return 0;
        };
        if self.policy.disposal_methods().is_empty() {
            return 0;
        }
        match self.policy.disposal_method(method) {
            Ok(m) if m.outsourced => DISPOSAL_OUTSOURCED,
            Ok(_) => 0,
            Err(_) => METHOD_UNLISTED,
        }
    }

    fn rank(&self, axis: Axis, rank: i64) -> Option<u8> {
        let rank = u8::try_from(rank).ok()?;
        self.ranks[axis as usize][usize::from(rank)].then_some(rank)
    }
}

/// Collects assets into a [`Snapshot`], from the model or the store's rows.
pub(crate) struct Builder<'p> {
    codes: Codes<'p>,
    rows: Vec<(AssetId, Node, (u32, u32))>,
    names: String,
    numbers: Vec<(AssetId, NumberInText)>,
}

impl<'p> Builder<'p> {
    pub(crate) fn new(policy: &'p Policy) -> Result<Self> {
        Ok(Builder {
            codes: Codes::new(policy)?,
            rows: Vec::new(),
            names: String::new(),
            numbers: Vec::new(),
        })
    }

    pub(crate) fn reserve(&mut self, assets: usize) {
        self.rows.reserve(assets);
    }

    /// Adds an asset of the model; its values must be the policy's.
    #[expect(
        clippy::too_many_lines,
        reason = "one step a column of the snapshot, in the columns' order"
    )]
    fn asset(&mut self, asset: &Asset) -> Result<()> {
        let codes = &self.codes;
        let f = &asset.fields;
        let corrupt = |what: &str, value: &str| {
            Error::invalid(
                what_field(what),
                value,
                "ポリシーにない値です",
                "not a value of the policy",
            )
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
        let hosting = f.hosting.as_ref();
        let disposal = f.disposal.as_ref();
        let flags = flags([
            (MY_NUMBER, f.personal_data.my_number),
            (MANAGER, f.manager.as_deref().is_some_and(non_blank)),
            (
                PROVIDER,
                hosting
                    .and_then(|h| h.provider.as_deref())
                    .is_some_and(non_blank),
            ),
            (
                CONTRACT,
                hosting
                    .and_then(|h| h.contract.as_deref())
                    .is_some_and(non_blank),
            ),
            (DISPOSED, disposal.is_some()),
            (
                DISPOSAL_METHOD,
                disposal
                    .and_then(|d| d.method.as_deref())
                    .is_some_and(non_blank),
            ),
            (
                DISPOSAL_APPROVER,
                disposal
                    .and_then(|d| d.approver.as_deref())
                    .is_some_and(non_blank),
            ),
            (
                DISPOSAL_CERTIFICATE,
                disposal
                    .and_then(|d| d.certificate.as_deref())
                    .is_some_and(non_blank),
            ),
            (
                SELF_APPROVED,
                disposal
                    .is_some_and(|d| d.approver.as_deref().map(str::trim) == Some(d.person.trim())),
            ),
        ]) | codes.disposal_method(disposal.and_then(|d| d.method.as_deref()));
        let p = f.personal_data;
        let (floor, floor_fact) = codes.floor(p.personal, p.sensitive, p.my_number, f.record_count);
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
            floor,
            floor_fact,
            kind: f.kind,
            segment: f.segment,
            medium: f.medium,
            hosting: hosting.map(|h| h.kind),
        };
        let mut found = Vec::new();
        for column in FREE_TEXT {
            match column.cell(asset) {
                Cell::Text(text) => scan(column, text, &mut found),
                Cell::Extra(extra) => {
                    for (key, value) in extra.iter() {
                        scan_extra(key, value, &mut found);
                    }
                }
                _ => {}
            }
        }
        self.numbers
            .extend(found.into_iter().map(|hit| (asset.id, hit)));
        self.push(asset.id, node, f.name.as_str())
    }

    /// Adds an asset as the store read it; a value that is not the policy's
    /// means the register is corrupt.
    pub(crate) fn stored(&mut self, row: &AssetRow<'_>) -> Result<()> {
        let id = row.id;
        let corrupt = |what: &str, value: &str| Error::Corrupt {
            what: format!("asset `{id}` has {what} `{value}`"),
        };
        let kind_text = row.kind.unwrap_or_default();
        let kind = Kind::parse(kind_text).map_err(|_| corrupt("kind", kind_text))?;
        let org_text = row.organization.unwrap_or_default();
        let org = self
            .codes
            .org(org_text)
            .ok_or_else(|| corrupt("organization", org_text))?;
        let mut ranks = [0u8; 3];
        for (i, axis) in Axis::ALL.into_iter().enumerate() {
            let rank = row.ranks[i];
            ranks[i] = self
                .codes
                .rank(axis, rank)
                .ok_or_else(|| corrupt(axis.code(), &rank.to_string()))?;
        }
        let segment = row
            .segment
            .map(|s| Segment::parse(s).map_err(|_| corrupt("segment", s)))
            .transpose()?;
        let medium = row
            .medium
            .map(|s| Medium::parse(s).map_err(|_| corrupt("medium", s)))
            .transpose()?;
        let controls_text = row.controls.unwrap_or_default();
        let controls = self
            .codes
            .controls(controls_text)
            .ok_or_else(|| corrupt("controls", controls_text))?;
        let hosting = row
            .hosting
            .map(|s| HostingKind::parse(s).map_err(|_| corrupt("hosting", s)))
            .transpose()?;
        let exclusion = match row.exclusion {
            None => 0,
            Some(code) => self
                .codes
                .exclusion(code)
                .ok_or_else(|| corrupt("exclusion", code))?,
        };
        let reviewed_on = row
            .reviewed_on
            .map(|s| iso_date(s).ok_or_else(|| corrupt("reviewed_on", s)))
            .transpose()?;
        let flags = flags([
            (MANAGER, row.has_manager),
            (MY_NUMBER, row.my_number),
            (PROVIDER, row.has_provider),
            (CONTRACT, row.has_contract),
            (DISPOSED, row.disposed),
            (DISPOSAL_METHOD, row.has_disposal_method),
            (DISPOSAL_APPROVER, row.disposal_approved),
            (DISPOSAL_CERTIFICATE, row.has_certificate),
            (SELF_APPROVED, row.disposed && row.self_approved),
        ]) | self.codes.disposal_method(row.disposal_method);
        let (floor, floor_fact) =
            self.codes
                .floor(row.personal, row.sensitive, row.my_number, row.record_count);
        let node = Node {
            controls,
            reviewed_on,
            org,
            exclusion,
            flags,
            ranks,
            floor,
            floor_fact,
            kind,
            segment,
            medium,
            hosting,
        };
        let mut found = Vec::new();
        for (column, text) in FREE_TEXT.into_iter().zip(row.texts) {
            if let Some(text) = text {
                scan(column, text, &mut found);
            }
        }
        self.numbers.extend(found.into_iter().map(|hit| (id, hit)));
        self.push(id, node, row.name.unwrap_or_default())
    }

    fn push(&mut self, id: AssetId, node: Node, name: &str) -> Result<()> {
        let span = push_name(&mut self.names, name)?;
        self.rows.push((id, node, span));
        Ok(())
    }

    /// The snapshot of the assets, sorted by id, without links.
    pub(crate) fn finish(self) -> Snapshot {
        let Builder {
            codes,
            mut rows,
            names,
            numbers,
        } = self;
        rows.sort_unstable_by_key(|(id, _, _)| *id);
        let mut ids = Vec::with_capacity(rows.len());
        let mut nodes = Vec::with_capacity(rows.len());
        let mut name_spans = Vec::with_capacity(rows.len());
        for (id, node, span) in rows {
            ids.push(id);
            nodes.push(node);
            name_spans.push(span);
        }
        let mut numbers: Vec<(u32, NumberInText)> = numbers
            .into_iter()
            .filter_map(|(id, hit)| Some((position(&ids, id)?, hit)))
            .collect();
        numbers.sort_by_key(|(index, _)| *index);
        Snapshot {
            policy: codes.policy.clone(),
            ids,
            nodes,
            names,
            name_spans,
            edges: Vec::new(),
            exceptions: Vec::new(),
            corrections: Vec::new(),
            processes: Vec::new(),
            numbers,
        }
    }
}

impl Snapshot {
    /// Every `stored_on` link, as the stored asset's and its host's indexes
    /// and nodes.
    pub(crate) fn stored_on(&self) -> impl Iterator<Item = ([u32; 2], &Node, &Node)> {
        self.edges
            .iter()
            .filter(|edge| edge.relation == Relation::StoredOn)
            .map(|edge| {
                (
                    [edge.from, edge.to],
                    &self.nodes[edge.from as usize],
                    &self.nodes[edge.to as usize],
                )
            })
    }

    /// A snapshot of assets and links held anywhere (e.g. not yet saved).
    ///
    /// Every link must join two of the assets; the assets must fit the
    /// policy (as the register makes sure they do).
    pub fn new<'a>(
        policy: &Policy,
        assets: impl IntoIterator<Item = &'a Asset>,
        links: &[Link],
    ) -> Result<Snapshot> {
        let mut builder = Builder::new(policy)?;
        for asset in assets {
            builder.asset(asset)?;
        }
        let mut snapshot = builder.finish();
        let mut edges = Vec::with_capacity(links.len());
        for link in links {
            let (from, to) = snapshot.ends(link)?;
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

    /// The edge of a link as the store read it; a value that is not the
    /// model's, or an unknown asset, means the register is corrupt.
    pub(crate) fn stored_edge(&self, row: &LinkRow<'_>) -> Result<Edge> {
        let corrupt = |what: &str, value: &str| Error::Corrupt {
            what: format!("a link from `{}` has {what} `{value}`", row.from),
        };
        let relation = match row.relation {
            Some(s) => Relation::parse(s).map_err(|_| corrupt("relation", s))?,
            None => return Err(corrupt("relation", "(not text)")),
        };
        let sanitization = row
            .sanitization
            .map(|s| Sanitization::parse(s).map_err(|_| corrupt("sanitization", s)))
            .transpose()?;
        let index = |id: AssetId| {
            self.index(id)
                .ok_or_else(|| corrupt("a missing asset", &id.to_string()))
        };
        Ok(Edge {
            from: index(row.from)?,
            relation,
            to: index(row.to)?,
            sanitization,
        })
    }

    /// Sets the links, as read from the store (unique there).
    pub(crate) fn set_edges(&mut self, mut edges: Vec<Edge>) {
        edges.sort_unstable();
        self.edges = edges;
    }

    /// A copy with one more link; the link must fit the kinds of its assets.
    pub(crate) fn with_link(&self, link: &Link) -> Result<Snapshot> {
        let (from, to) = self.ends(link)?;
        if from == to {
            return Err(Error::invalid(
                "link",
                self.name(from),
                "資産を自分自身には関連付けられません",
                "an asset cannot be linked to itself",
            ));
        }
        let (from_kind, to_kind) = (self.nodes[from as usize].kind, self.nodes[to as usize].kind);
        if !link.relation.fits(from_kind, to_kind) {
            return Err(Error::invalid(
                "relation",
                format!("{} {} {}", self.name(from), link.relation, self.name(to)),
                "この関係は資産の種別に合いません",
                "the relation does not fit the kinds of the assets (see Register::link)",
            ));
        }
        let edge = Edge {
            from,
            relation: link.relation,
            to,
            sanitization: link.sanitization,
        };
        let mut changed = self.clone();
        if let Err(at) = changed.edges.binary_search(&edge) {
            changed.edges.insert(at, edge);
        }
        Ok(changed)
    }

    /// A copy with one asset given another classification.
    pub(crate) fn reclassified(
        &self,
        id: AssetId,
        classification: &Classification,
    ) -> Result<Snapshot> {
        let index = self
            .index(id)
            .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
        let codes = Codes::new(&self.policy)?;
        let mut changed = self.clone();
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
        Ok(changed)
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

    /// The index of an asset.
    pub(crate) fn index(&self, id: AssetId) -> Option<u32> {
        position(&self.ids, id)
    }

    /// The indexes of a link's ends.
    fn ends(&self, link: &Link) -> Result<(u32, u32)> {
        let index = |id: AssetId| {
            self.index(id)
                .ok_or_else(|| Error::NotFound { id: id.to_string() })
        };
        Ok((index(link.from)?, index(link.to)?))
    }

    /// The in-scope assets among `range` (disposed of or not), with their
    /// indexes.
    pub(crate) fn in_scope(&self, range: Range<u32>) -> impl Iterator<Item = (u32, &Node)> {
        let nodes = &self.nodes[range.start as usize..range.end as usize];
        range.zip(nodes).filter(|(_, node)| node.exclusion == 0)
    }

    /// The in-scope assets in use among `range`, with their indexes: the
    /// assets the rules check.
    pub(crate) fn active(&self, range: Range<u32>) -> impl Iterator<Item = (u32, &Node)> {
        let nodes = &self.nodes[range.start as usize..range.end as usize];
        range.zip(nodes).filter(|(_, node)| node.is_active())
    }

    /// The id and last review of every in-scope asset in use.
    pub(crate) fn reviews(&self) -> impl Iterator<Item = (AssetId, Option<Date>)> + '_ {
        self.active(0..self.nodes.len() as u32)
            .map(|(v, node)| (self.ids[v as usize], node.reviewed_on))
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

    /// The policy's exclusion reason of an asset out of scope.
    pub(crate) fn exclusion(&self, index: u32) -> Option<&Exclusion> {
        let exclusion = self.nodes[index as usize].exclusion;
        (exclusion != 0).then(|| &self.policy.exclusions()[usize::from(exclusion - 1)])
    }

    /// The bit of a control given by its exact code, if the policy has it.
    pub(crate) fn control_bit(&self, code: &str) -> Option<u64> {
        self.policy
            .controls()
            .iter()
            .position(|c| c.code.as_str() == code)
            .map(|i| 1u64 << i)
    }

    /// The policy's definition of the level on an axis with this rank.
    pub(crate) fn level_def(&self, axis: Axis, rank: u8) -> Option<&LevelDef> {
        self.policy
            .scale(axis)
            .levels
            .iter()
            .find(|def| def.level.rank() == rank)
    }

    /// The policy's floor that sets an asset's floor, if any.
    pub(crate) fn floor_of(&self, index: u32) -> Option<&crate::policy::Floor> {
        let fact = self.nodes[index as usize].floor_fact;
        (fact != 0).then(|| &self.policy.floors()[usize::from(fact - 1)])
    }

    /// The policy's level on an axis with this rank.
    pub(crate) fn level(&self, axis: Axis, rank: u8) -> Level {
        self.level_def(axis, rank)
            .map_or_else(|| self.policy.lowest(axis).clone(), |def| def.level.clone())
    }
}

fn flags<const N: usize>(pairs: [(u16, bool); N]) -> u16 {
    pairs
        .into_iter()
        .filter(|(_, on)| *on)
        .fold(0, |flags, (flag, _)| flags | flag)
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

/// The index of `id` in the sorted `ids`.
fn position(ids: &[AssetId], id: AssetId) -> Option<u32> {
    ids.binary_search(&id).ok().map(|i| i as u32)
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
            "全資産の名称の合計が 4 GiB を超えます",
            "the names of all assets together exceed 4 GiB",
        )),
    }
}

//! The one write path: adding, changing, disposing of and linking assets,
//! each with its audit entry, inside a write transaction the caller opened.
//!
//! [`Register`](crate::Register)'s methods and the importer both call these
//! functions, so a sheet may do exactly what the API may, and both refuse
//! the same things with the same errors (the importer turns an [`Error`]
//! into a row error in one place).

use crate::audit::{Action, Appender, Change};
use crate::error::{Error, Result};
use crate::model::{Asset, AssetFields, AssetId, Disposal, Kind, Link, Relation, Sanitization};
use crate::policy::{Axis, Policy};
use crate::record::{LinkRecord, audit_json, to_json};
use crate::store::Db;
use crate::text::Localized;

mod free_text;

pub(crate) use free_text::{MayHoldNumbers, validate_actor, validate_free_text, validate_text};

/// What a write did to an asset or link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// It was made.
    Created,
    /// It changed.
    Updated,
    /// It was already as asked; nothing was written.
    Unchanged,
}

/// The open write transaction and its audit appender, with the policy that
/// validates what is written.
pub(crate) struct Writer<'w, 'a> {
    pub(crate) db: &'w Db,
    pub(crate) log: &'w mut Appender<'a>,
    pub(crate) policy: &'w Policy,
    /// The transaction's time: of its audit entries and of the changes.
    pub(crate) now: jiff::Timestamp,
    /// The columns that may hold numbers shaped like a 個人番号 (an import's).
    pub(crate) numbers: &'w MayHoldNumbers,
}

impl Writer<'_, '_> {
    /// Adds a new asset; its fields are validated first. The doors normalize
    /// what they read: the API trims free text ([`normalize`]), a sheet reads
    /// its cells as they are written.
    pub(crate) fn add(&mut self, asset: Asset) -> Result<Asset> {
        validate(self.policy, &asset.fields)?;
        validate_text(&asset.fields, None, self.numbers)?;
        self.db.insert_asset(&asset)?;
        let after = audit_json(&asset, self.log.at());
        self.log.append(
            self.db,
            &Change::asset(Action::Create, asset.id, None, Some(&after)),
        )?;
        Ok(asset)
    }

    /// Replaces the fields of asset `id` with what `next` makes of the
    /// current asset, if its version is still `expected` (when given).
    ///
    /// A disposed asset is history: only its disposal record may still be
    /// completed. Unchanged fields write nothing. Setting a disposal on an
    /// asset in use is logged as a disposal.
    pub(crate) fn change(
        &mut self,
        id: AssetId,
        expected: Option<u64>,
        next: impl FnOnce(&Asset) -> Result<AssetFields>,
    ) -> Result<(Asset, Written)> {
        let current = self
            .db
            .asset(self.policy, id)?
            .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
        if let Some(expected) = expected
            && current.version != expected
        {
            return Err(Error::Conflict {
                id,
                expected,
                actual: current.version,
            });
        }
        let fields = next(&current)?;
        validate(self.policy, &fields)?;
        validate_text(&fields, Some(&current.fields), self.numbers)?;
        self.replace(current, fields)
    }

    /// Writes `fields` over `current` (already read in this transaction).
    pub(crate) fn replace(
        &mut self,
        current: Asset,
        fields: AssetFields,
    ) -> Result<(Asset, Written)> {
        self.replace_with(current, fields, None)
    }

    /// [`Writer::replace`], where the stored values the new fields change are
    /// known (`places` among the store's columns, from the stored row): only
    /// they are written, with the version and times. The row and the entry
    /// are the same.
    pub(crate) fn replace_at(
        &mut self,
        current: Asset,
        fields: AssetFields,
        places: &[usize],
    ) -> Result<(Asset, Written)> {
        self.replace_with(current, fields, Some(places))
    }

    fn replace_with(
        &mut self,
        current: Asset,
        fields: AssetFields,
        places: Option<&[usize]>,
    ) -> Result<(Asset, Written)> {
        if current.fields == fields {
            return Ok((current, Written::Unchanged));
        }
        if let Some(disposal) = &current.fields.disposal {
            let mut unchanged = fields.clone();
            unchanged.disposal.clone_from(&current.fields.disposal);
            if fields.disposal.is_none() || unchanged != current.fields {
                return Err(Error::Disposed {
                    id: current.id,
                    date: disposal.date,
                });
            }
        }
        let action = if current.fields.disposal.is_none() && fields.disposal.is_some() {
            Action::Dispose
        } else {
            Action::Update
        };
        let next = Asset {
            id: current.id,
            fields,
            version: current.version + 1,
            created_at: current.created_at,
            updated_at: self.now,
        };
        let updated = match places {
            Some(places) => self
                .db
                .update_asset_columns(&next, current.version, places)?,
            None => self.db.update_asset(&next, current.version)?,
        };
        if !updated {
            return Err(Error::Conflict {
                id: current.id,
                expected: current.version,
                actual: current.version + 1,
            });
        }
        let before = audit_json(&current, self.log.at());
        let after = audit_json(&next, self.log.at());
        self.log.append(
            self.db,
            &Change::asset(action, current.id, Some(&before), Some(&after)),
        )?;
        Ok((next, Written::Updated))
    }

    /// Records the disposal of asset `id`, if its version is still `expected`
    /// (when given).
    pub(crate) fn dispose(
        &mut self,
        id: AssetId,
        expected: Option<u64>,
        disposal: Disposal,
    ) -> Result<Asset> {
        validate_disposal(&disposal)?;
        let (asset, _) = self.change(id, expected, |current| {
            if let Some(existing) = &current.fields.disposal {
                return Err(Error::Disposed {
                    id,
                    date: existing.date,
                });
            }
            let mut fields = current.fields.clone();
            fields.disposal = Some(disposal);
            Ok(fields)
        })?;
        Ok(asset)
    }

    /// Adds a link, or with `update` changes an existing link's
    /// sanitization; both ends must exist and the relation fit their kinds.
    pub(crate) fn link(&mut self, link: &Link, update: bool) -> Result<Written> {
        let end = |id: AssetId| {
            self.db
                .asset(self.policy, id)?
                .ok_or_else(|| Error::NotFound { id: id.to_string() })
        };
        let (from, to) = (end(link.from)?, end(link.to)?);
        validate_link(link, &from, &to)?;
        let existing = self
            .db
            .link_sanitization(link.from, link.relation, link.to)?;
        let sanitization = link.sanitization.map(Sanitization::code);
        let written = match &existing {
            None => Written::Created,
            Some(_) if !update => {
                return Err(Error::Link {
                    from: link.from,
                    relation: link.relation.code(),
                    to: link.to,
                    exists: true,
                });
            }
            Some(current) if current.as_deref() == sanitization => return Ok(Written::Unchanged),
            Some(_) => Written::Updated,
        };
        let before = existing.map(|sanitization| {
            to_json(&LinkRecord {
                from: link.from.to_string(),
                relation: link.relation.code().to_owned(),
                to: link.to.to_string(),
                sanitization,
            })
        });
        if written == Written::Created {
            self.db.insert_link(link, self.log.at())?;
        } else {
            self.db.update_link(link)?;
        }
        let after = to_json(&LinkRecord::from(link));
        self.log.append(
            self.db,
            &Change {
                action: Action::Link,
                asset_id: Some(link.from),
                related_id: Some(link.to),
                before: before.as_deref(),
                after: Some(&after),
            },
        )?;
        Ok(written)
    }

    /// Removes a link.
    pub(crate) fn unlink(&mut self, from: AssetId, relation: Relation, to: AssetId) -> Result<()> {
        let Some(sanitization) = self.db.link_sanitization(from, relation, to)? else {
            return Err(Error::Link {
                from,
                relation: relation.code(),
                to,
                exists: false,
            });
        };
        self.db.delete_link(from, relation, to)?;
        let record = to_json(&LinkRecord {
            from: from.to_string(),
            relation: relation.code().to_owned(),
            to: to.to_string(),
            sanitization,
        });
        self.log.append(
            self.db,
            &Change {
                action: Action::Unlink,
                asset_id: Some(from),
                related_id: Some(to),
                before: Some(&record),
                after: None,
            },
        )
    }
}

/// What a deletion removed: the asset as it last was, and its links.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deletion {
    /// The asset, as it was before it was deleted.
    pub asset: Asset,
    /// The links that were removed with it.
    pub links: Vec<Link>,
    /// How many risk assessments of it were removed with it.
    pub assessments: usize,
}

impl Writer<'_, '_> {
    /// Deletes asset `id` for `reason`: refused while links join it to
    /// other assets, unless `with_links`, when each link is removed first
    /// with its own entry. Its risk assessments go with it, each with an
    /// entry; the deletion's entry keeps its last state and the reason.
    pub(crate) fn delete(
        &mut self,
        id: AssetId,
        reason: &str,
        with_links: bool,
    ) -> Result<Deletion> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::invalid(
                "reason",
                reason,
                "削除にはその理由が要ります",
                "a deletion says why",
            ));
        }
        check_text("reason", reason, true)?;
        let asset = self
            .db
            .asset(self.policy, id)?
            .ok_or_else(|| Error::NotFound { id: id.to_string() })?;
        let links = self.db.links(Some(id))?;
        if !links.is_empty() && !with_links {
            let name = |end: AssetId| -> Result<String> {
                Ok(self
                    .db
                    .asset(self.policy, end)?
                    .map_or_else(|| end.to_string(), |a| a.name().to_owned()))
            };
            let links = links
                .iter()
                .map(|l| Ok(format!("{} {} {}", name(l.from)?, l.relation, name(l.to)?)))
                .collect::<Result<Vec<_>>>()?;
            return Err(Error::Linked {
                id,
                name: asset.name().to_owned(),
                links,
            });
        }
        for link in &links {
            self.unlink(link.from, link.relation, link.to)?;
        }
        let mut assessments = Vec::new();
        self.db.assessments_of(id, |row| {
            assessments.push(row.assessment);
            Ok(())
        })?;
        for assessment in &assessments {
            self.db.remove_assessment(id, &assessment.threat)?;
            let before = serde_json::json!({
                "threat": assessment.threat,
                "likelihood": assessment.likelihood,
                "vulnerability": assessment.vulnerability,
            })
            .to_string();
            self.log.append(
                self.db,
                &Change::asset(Action::Assess, id, Some(&before), None),
            )?;
        }
        if !self.db.delete_asset(id)? {
            return Err(Error::NotFound { id: id.to_string() });
        }
        let before = audit_json(&asset, self.log.at());
        let after = serde_json::json!({ "reason": reason }).to_string();
        self.log.append(
            self.db,
            &Change::asset(Action::Delete, id, Some(&before), Some(&after)),
        )?;
        Ok(Deletion {
            asset,
            links,
            assessments: assessments.len(),
        })
    }

    /// Writes `previous` (an asset's earlier state, its version and times
    /// included) over `current`, as an update: an undone import's restore.
    pub(crate) fn restore(&mut self, current: &Asset, previous: &Asset) -> Result<()> {
        validate(self.policy, &previous.fields)?;
        if !self.db.update_asset(previous, current.version)? {
            return Err(Error::Conflict {
                id: current.id,
                expected: current.version,
                actual: current.version + 1,
            });
        }
        let before = audit_json(current, self.log.at());
        let after = audit_json(previous, self.log.at());
        self.log.append(
            self.db,
            &Change::asset(Action::Update, current.id, Some(&before), Some(&after)),
        )
    }
}

/// One asset by id, or else by its 管理番号, or else by its unique name.
pub(crate) fn resolve(db: &Db, policy: &Policy, id_or_name: &str) -> Result<Asset> {
    if let Ok(id) = id_or_name.parse::<AssetId>() {
        return db
            .asset(policy, id)?
            .ok_or_else(|| Error::NotFound { id: id.to_string() });
    }
    let name = id_or_name.trim();
    let mut resolver = crate::table::cells::Resolver::new(policy);
    if let Some(asset) = db.asset_by_number(&mut resolver, name)? {
        return Ok(asset);
    }
    let mut found = db.assets_named(policy, name, 2)?;
    match found.len() {
        1 => Ok(found.remove(0)),
        matches => Err(Error::AmbiguousName {
            name: name.to_owned(),
            matches,
        }),
    }
}

impl Change<'_> {
    pub(crate) fn asset<'a>(
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

/// Trims the free-text fields as an import trims its cells, and drops extra
/// attributes left empty, so that the register holds only values that export
/// and import carry unchanged (issue 6: the round-trip property found notes
/// and extra values with surrounding line breaks). A value of spaces only is
/// left for [`validate`] to refuse where it refuses one.
pub(crate) fn normalize(fields: &mut AssetFields) {
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
    if let Some(number) = &mut fields.asset_number {
        let normal = crate::text::asset_number(number);
        if normal != *number {
            *number = normal;
        }
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
    if let Some(count) = fields.record_count.filter(|&c| c > crate::parse::MAX_COUNT) {
        return Err(Error::invalid(
            "record_count",
            count.to_string(),
            "件数として大きすぎます（9,223,372,036,854,775,807 まで）",
            "too large for a count (at most 9,223,372,036,854,775,807)",
        ));
    }
    if let crate::model::Scope::Excluded(reason) = &fields.scope {
        let exclusion = policy.exclusion(reason.as_str())?;
        if !exclusion.organizations.contains(&fields.organization) {
            let may: Vec<&str> = (exclusion.organizations.iter())
                .map(|o| policy.organization_ja(o))
                .collect();
            return Err(Error::invalid(
                "exclusion_reason",
                reason.as_str(),
                format!("この理由で対象外にできるのは {} だけです", may.join("、")),
                format!("only {} may exclude assets for this reason", may.join(", ")),
            ));
        }
    }
    for (field, value) in [
        ("asset_number", fields.asset_number.as_deref()),
        ("manager", fields.manager.as_deref()),
        ("location", fields.location.as_deref()),
        ("notes", fields.notes.as_deref()),
    ] {
        if value.is_some_and(|v| v.trim().is_empty()) {
            return Err(Error::invalid(
                field,
                value.unwrap_or_default(),
                "空の値は値なしとして書きます",
                "an empty value is written as no value",
            ));
        }
    }
    if let Some(disposal) = &fields.disposal {
        validate_disposal(disposal)?;
    }
    validate_dates(fields)?;
    let hosting = fields.hosting.as_ref();
    for (field, value) in [
        ("department", Some(fields.department.as_str())),
        ("manager", fields.manager.as_deref()),
        ("location", fields.location.as_deref()),
        ("provider", hosting.and_then(|h| h.provider.as_deref())),
        ("contract", hosting.and_then(|h| h.contract.as_deref())),
    ] {
        check_text(field, value.unwrap_or_default(), false)?;
    }
    check_text("notes", fields.notes.as_deref().unwrap_or_default(), true)?;
    for (key, value) in fields.extra.iter() {
        // An extra column is the city's own free text, like the notes.
        check_text("extra", key, false)
            .and_then(|()| check_text("extra", value, true))
            .map_err(|error| match error {
                Error::Invalid {
                    field,
                    value,
                    reason,
                } => {
                    let key = crate::text::escape_controls(key);
                    Error::Invalid {
                        field,
                        value,
                        reason: Localized::new(
                            format!("{}（追加の列 `{key}`）", reason.ja),
                            format!("{} in the extra column `{key}`", reason.en),
                        ),
                    }
                }
                other => other,
            })?;
    }
    Ok(())
}

/// Refuses a review or disposal dated after today (in Japan): a future
/// date would silence `review.overdue` or record what has not happened.
fn validate_dates(fields: &AssetFields) -> Result<()> {
    let dates = [
        ("reviewed_on", fields.reviewed_on),
        ("disposed_on", fields.disposal.as_ref().map(|d| d.date)),
    ];
    if dates.iter().all(|(_, date)| date.is_none()) {
        return Ok(());
    }
    let today = crate::parse::today_in_japan();
    for (field, date) in dates {
        if let Some(date) = date.filter(|date| *date > today) {
            return Err(Error::invalid(
                field,
                date.to_string(),
                format!("今日（{today}）より後の日付は書けません"),
                format!("a date after today ({today}) is not allowed"),
            ));
        }
    }
    Ok(())
}

fn validate_disposal(disposal: &Disposal) -> Result<()> {
    if disposal.person.trim().is_empty() {
        return Err(Error::invalid(
            "disposed_by",
            &disposal.person,
            "廃棄には実施者が要ります",
            "a disposal names who did it",
        ));
    }
    for (field, value) in [
        ("disposed_by", Some(disposal.person.as_str())),
        ("disposal_method", disposal.method.as_deref()),
        ("disposal_approver", disposal.approver.as_deref()),
        ("disposal_certificate", disposal.certificate.as_deref()),
    ] {
        check_text(field, value.unwrap_or_default(), false)?;
    }
    Ok(())
}

/// Refuses a control character (C0, DEL, C1: terminal escape sequences
/// among them) in free text, but for line breaks (LF, CRLF) where
/// `line_breaks` allows them; what trimming removes is not checked.
pub(crate) fn check_text(field: &'static str, value: &str, line_breaks: bool) -> Result<()> {
    match crate::text::forbidden_control(value.trim(), line_breaks) {
        None => Ok(()),
        Some(c) => Err(Error::invalid(
            field,
            crate::text::escape_controls(value),
            format!(
                "制御文字 U+{:04X} は書けません{}",
                u32::from(c),
                if line_breaks {
                    "（改行だけは書けます）"
                } else {
                    ""
                }
            ),
            format!(
                "control character U+{:04X} is not allowed{}",
                u32::from(c),
                if line_breaks {
                    " (only line breaks are)"
                } else {
                    ""
                }
            ),
        )),
    }
}

/// Checks that a relation fits the kinds of the assets it joins.
pub(crate) fn validate_link(link: &Link, from: &Asset, to: &Asset) -> Result<()> {
    if link.from == link.to {
        return Err(Error::invalid(
            "link",
            from.name(),
            "資産を自分自身には関連付けられません",
            "an asset cannot be linked to itself",
        ));
    }
    let (from_kind, to_kind) = (from.fields.kind, to.fields.kind);
    let expected = match link.relation {
        Relation::StoredOn => (from_kind == Kind::Information && to_kind == Kind::NetworkSystem)
            .then_some(())
            .ok_or((
                "stored_on（保管先）は情報（イ）をシステム・媒体（ア）に結びます",
                "stored_on joins information (イ) to a system or medium (ア)",
            )),
        Relation::Describes => (from_kind == Kind::SystemDocument
            && to_kind == Kind::NetworkSystem)
            .then_some(())
            .ok_or((
                "describes（説明）はシステム関係文書（ウ）をシステム（ア）に結びます",
                "describes joins a system document (ウ) to a system (ア)",
            )),
        Relation::ConnectsTo | Relation::TransfersTo => (from_kind == Kind::NetworkSystem
            && to_kind == Kind::NetworkSystem)
            .then_some(())
            .ok_or((
                "connects_to（接続）と transfers_to（転送）はシステム（ア）どうしを結びます",
                "connects_to and transfers_to join two systems (ア)",
            )),
        Relation::CopyOf => (from_kind == to_kind).then_some(()).ok_or((
            "copy_of（複製）は同じ種別の資産どうしを結びます",
            "copy_of joins two assets of the same kind",
        )),
    };
    expected.map_err(|(ja, en)| {
        Error::invalid(
            "relation",
            format!("{} {} {}", from.name(), link.relation, to.name()),
            ja,
            en,
        )
    })?;
    if link.sanitization.is_some() && link.relation != Relation::TransfersTo {
        return Err(Error::invalid(
            "sanitization",
            link.sanitization
                .map(Sanitization::code)
                .unwrap_or_default(),
            "無害化を持てるのは transfers_to（転送）だけです",
            "only transfers_to carries a sanitization",
        ));
    }
    Ok(())
}

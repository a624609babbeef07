//! Risk analysis (basic policy §3 and §8): threat assessments per asset and
//! the risk list.
//!
//! risk value = importance (重要度: the highest `importance` of the asset's
//! effective levels, 1–3) × damage likelihood (被害発生可能性: the policy's
//! 3×3 matrix of threat likelihood and vulnerability, 1–3), so 1–9, with the
//! policy's band. The matrix and bands live in the policy's `[risk]` section.

use jiff::Timestamp;

use crate::audit::{Action, Change};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::policy::{Axis, OrgCode};
use crate::register::Register;
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::{AssetRef, Snapshot};
use crate::store::{AssessmentRow, RecordedRow};

/// The assessment of one threat group for one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// The asset.
    pub asset: AssetId,
    /// The threat group's code (the policy's `risk.threats`).
    pub threat: String,
    /// 脅威の起こりやすさ: 3 any time, 2 in specific conditions, 1 not normally.
    pub likelihood: u8,
    /// 脆弱性のつけ込みやすさ: 3 no countermeasure, 2 partial, 1 all in place.
    pub vulnerability: u8,
    /// When it was recorded.
    pub assessed_at: Timestamp,
    /// Who recorded it.
    pub assessed_by: String,
}

/// One line of the risk list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskEntry {
    /// The asset.
    pub asset: AssetRef,
    /// Its organization.
    pub organization: OrgCode,
    /// The threat group's code.
    pub threat: String,
    /// The threat's likelihood, 1–3.
    pub likelihood: u8,
    /// The vulnerability, 1–3.
    pub vulnerability: u8,
    /// 重要度, 1–3: from the asset's highest effective level.
    pub importance: u8,
    /// 被害発生可能性, 1–3: from the policy's matrix.
    pub damage_likelihood: u8,
    /// リスク値 = importance × damage likelihood.
    pub value: u8,
    /// The band's code (e.g. `high`), from the policy.
    pub band: String,
}

/// The risk list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskReport {
    /// The assessed risks of in-scope assets in use, highest value first
    /// (then by organization, asset name and the policy's threat order).
    pub entries: Vec<RiskEntry>,
    /// In-scope assets in use with no assessment at all, by name.
    pub not_assessed: Vec<AssetRef>,
}

impl Register {
    /// Records (or changes) the assessment of one threat group for an asset,
    /// with an audit entry; an unchanged assessment writes nothing.
    pub fn assess(
        &mut self,
        id: AssetId,
        threat: &str,
        likelihood: u8,
        vulnerability: u8,
    ) -> Result<Assessment> {
        let threat = self.threat_code(threat)?;
        for (field, value) in [("likelihood", likelihood), ("vulnerability", vulnerability)] {
            if !(1..=3).contains(&value) {
                return Err(Error::invalid(
                    field,
                    value.to_string(),
                    "1、2、3 のいずれかを書きます",
                    "expected 1, 2 or 3",
                ));
            }
        }
        let asset = self.get(id)?;
        if let Some(disposal) = &asset.fields.disposal {
            return Err(Error::Disposed {
                id,
                date: disposal.date,
            });
        }
        let actor = self.actor().to_owned();
        let record = |l: u8, v: u8| {
            serde_json::json!({ "threat": threat, "likelihood": l, "vulnerability": v }).to_string()
        };
        self.write_logged(|tx, log| {
            let before = tx.assessment(id, &threat, "reading a risk assessment")?;
            if before == Some((likelihood, vulnerability)) {
                return Ok(());
            }
            // Recorded at the audit entry's time, so that `verify` can compare them.
            let at = log.at().to_owned();
            tx.record_assessment(id, &threat, (likelihood, vulnerability), &at, &actor)?;
            let before = before.map(|(l, v)| record(l, v));
            let after = record(likelihood, vulnerability);
            log.append(
                tx,
                &Change {
                    action: Action::Assess,
                    asset_id: Some(id),
                    related_id: None,
                    before: before.as_deref(),
                    after: Some(&after),
                },
            )
        })?;
        self.assessments(id)?
            .into_iter()
            .find(|a| a.threat == threat)
            .ok_or_else(|| Error::NotFound { id: id.to_string() })
    }

    /// Removes the assessment of one threat group for an asset, with an audit entry.
    pub fn unassess(&mut self, id: AssetId, threat: &str) -> Result<()> {
        let threat = self.threat_code(threat)?;
        self.write_logged(|tx, log| {
            let before = tx.assessment(id, &threat, "removing a risk assessment")?;
            let Some((l, v)) = before else {
                return Err(Error::invalid(
                    "threat",
                    threat.clone(),
                    format!("資産 `{id}` にはこの脅威の評価がありません"),
                    format!("asset `{id}` has no assessment of this threat"),
                ));
            };
            tx.remove_assessment(id, &threat)?;
            let before =
                serde_json::json!({ "threat": threat, "likelihood": l, "vulnerability": v })
                    .to_string();
            log.append(
                tx,
                &Change {
                    action: Action::Assess,
                    asset_id: Some(id),
                    related_id: None,
                    before: Some(&before),
                    after: None,
                },
            )
        })
    }

    /// The assessments of one asset, in the policy's threat order.
    pub fn assessments(&self, id: AssetId) -> Result<Vec<Assessment>> {
        let mut found = Vec::new();
        self.db().assessments_of(id, |row| {
            let RecordedRow {
                assessment,
                assessed_at,
                assessed_by,
            } = row;
            found.push(Assessment {
                asset: id,
                threat: assessment.threat,
                likelihood: assessment.likelihood,
                vulnerability: assessment.vulnerability,
                assessed_at: assessed_at.parse().map_err(|_| Error::Corrupt {
                    what: format!("a risk assessment of `{id}` has the time `{assessed_at}`"),
                })?,
                assessed_by,
            });
            Ok(())
        })?;
        let order = |code: &str| {
            self.policy()
                .risk()
                .threats
                .iter()
                .position(|t| t.code == code)
                .unwrap_or(usize::MAX)
        };
        found.sort_by_key(|a| order(&a.threat));
        Ok(found)
    }

    /// The risk list: every assessed risk of in-scope assets in use, highest
    /// value first, and the in-scope assets not assessed at all.
    pub fn risks(&self) -> Result<RiskReport> {
        let snapshot = self.snapshot()?;
        let inheritance = Inheritance::compute(&snapshot);
        let risk = self.policy().risk();
        let mut assessed = vec![false; snapshot.nodes.len()];
        let mut entries = Vec::new();
        self.db().each_assessment(|row| {
            let AssessmentRow {
                asset: id,
                threat,
                likelihood,
                vulnerability,
            } = row;
            let Some(v) = snapshot.index(id) else {
                return Ok(());
            };
            if !snapshot.nodes[v as usize].is_active() {
                return Ok(());
            }
            assessed[v as usize] = true;
            let importance = importance(&snapshot, &inheritance, v);
            let damage = risk
                .damage_likelihood(likelihood, vulnerability)
                .ok_or_else(|| Error::Corrupt {
                    what: format!("a risk assessment of `{id}` has likelihood {likelihood} and vulnerability {vulnerability}"),
                })?;
            let value = importance * damage;
            entries.push(RiskEntry {
                asset: snapshot.asset_ref(v),
                organization: snapshot.org_code(v),
                band: risk.band(value).map(|b| b.code.clone()).unwrap_or_default(),
                threat,
                likelihood,
                vulnerability,
                importance,
                damage_likelihood: damage,
                value,
            });
            Ok(())
        })?;
        let org_rank = |code: &OrgCode| {
            self.policy()
                .organizations()
                .iter()
                .position(|o| &o.code == code)
                .unwrap_or(usize::MAX)
        };
        let threat_rank = |code: &str| {
            risk.threats
                .iter()
                .position(|t| t.code == code)
                .unwrap_or(usize::MAX)
        };
        entries.sort_by(|a, b| {
            b.value
                .cmp(&a.value)
                .then_with(|| org_rank(&a.organization).cmp(&org_rank(&b.organization)))
                .then_with(|| a.asset.name.cmp(&b.asset.name))
                .then_with(|| a.asset.id.cmp(&b.asset.id))
                .then_with(|| threat_rank(&a.threat).cmp(&threat_rank(&b.threat)))
        });
        let mut not_assessed: Vec<AssetRef> = (0..snapshot.nodes.len() as u32)
            .filter(|&v| snapshot.nodes[v as usize].is_active() && !assessed[v as usize])
            .map(|v| snapshot.asset_ref(v))
            .collect();
        not_assessed.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(RiskReport {
            entries,
            not_assessed,
        })
    }

    /// The policy's code for a threat group given by code or Japanese wording.
    fn threat_code(&self, input: &str) -> Result<String> {
        let threats = &self.policy().risk().threats;
        threats
            .iter()
            .find(|t| t.code == input.trim() || t.ja == input.trim())
            .map(|t| t.code.clone())
            .ok_or_else(|| Error::unknown("threat", input, threats.iter().map(|t| t.code.clone())))
    }
}

/// 重要度: the highest importance of the asset's effective levels.
fn importance(snapshot: &Snapshot, inheritance: &Inheritance, v: u32) -> u8 {
    Axis::ALL
        .into_iter()
        .filter_map(|axis| {
            let rank = inheritance.effective[axis as usize][v as usize];
            snapshot.level_def(axis, rank).map(|def| def.importance)
        })
        .max()
        .unwrap_or(1)
}

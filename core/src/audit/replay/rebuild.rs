//! The register as it stood at a past moment: the audit log's entries
//! written before it, verified and replayed into an empty register's
//! database, with the rows those entries imply.
//!
//! The entries taken are the log's longest prefix written before the
//! moment (by `seq`, stopping at the first later one), so that the result
//! is a state the register really had even if clocks went backwards.

use jiff::Timestamp;

use super::{AssetState, Replayer, expected_asset};
use crate::audit::verify_chain;
use crate::error::{Error, Result};
use crate::model::{AssetId, Link, Relation, Sanitization};
use crate::policy::Policy;
use crate::store::{Db, EntryRow, ExceptionRow, StoredEntry};
use crate::table::cells::Resolver;

/// Why a register cannot be rebuilt from a corrupt log.
fn corrupt(what: String) -> Error {
    Error::Corrupt { what }
}

/// Copies into `target` (an empty register's database, inside its write
/// transaction) every entry of `source` written before `before`, after
/// verifying the chain up to the last of them, and the rows those entries
/// imply (see `rebuild_rows`). Returns the number of entries taken.
///
/// Refused, naming the entry, when an entry up to then does not verify or
/// does not replay; refused when the policy those entries end with is not
/// `policy` (the register keeps only its current policy's text).
pub(crate) fn rebuild(source: &Db, policy: &Policy, before: Timestamp, target: &Db) -> Result<u64> {
    let mut replayer = Replayer::default();
    let mut taken = 0u64;
    // The first entry written at or after `before`.
    let mut past: Option<u64> = None;
    let mut failure: Option<Error> = None;
    let chain = verify_chain(source, None, None, |seq, entry| {
        if past.is_some() || failure.is_some() {
            return;
        }
        match entry.at.parse::<Timestamp>() {
            Ok(at) if at < before => {}
            Ok(_) => {
                past = Some(seq);
                return;
            }
            Err(_) => {
                failure = Some(corrupt(format!(
                    "audit entry {seq} has the malformed time `{}`",
                    entry.at
                )));
                return;
            }
        }
        replayer.visit(seq, entry);
        if let Err(e) = copy_entry(target, entry) {
            failure = Some(e);
        }
        taken = seq;
    })?;
    // A broken entry counts up to the first one past `before`, which may
    // itself be broken: a missing entry right after the last one taken may
    // have been written before.
    if let Some(broken) = chain
        .first_broken
        .filter(|b| b.seq <= taken || (b.seq == taken + 1 && past != Some(b.seq)))
    {
        return Err(corrupt(format!(
            "audit entry {} does not verify ({}); the register cannot be rebuilt past it",
            broken.seq, broken.reason
        )));
    }
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some(first) = replayer.out.mismatches.first() {
        return Err(corrupt(format!(
            "{first}; the register cannot be rebuilt past it"
        )));
    }
    if let Some(digest) = &replayer.out.policy_digest
        && digest != policy.sha256()
    {
        return Err(Error::invalid(
            "as_of",
            before.to_string(),
            "その時点より後に台帳のポリシーが置き換えられました。台帳は今のポリシーの本文しか持っていません",
            "the register's policy was replaced after that time, and the register keeps \
             only its current policy's text",
        ));
    }
    rebuild_rows(source, policy, &replayer, target)?;
    Ok(taken)
}

/// Writes one stored entry as it is.
fn copy_entry(target: &Db, entry: &StoredEntry) -> Result<()> {
    let seq = entry.seq;
    let hash: [u8; 32] = entry
        .hash
        .as_slice()
        .try_into()
        .map_err(|_| corrupt(format!("audit entry {seq} has a malformed hash")))?;
    let digest: Option<[u8; 32]> = entry
        .payload_digest
        .as_deref()
        .and_then(|d| d.try_into().ok());
    target.insert_entry(&EntryRow {
        seq,
        at: &entry.at,
        actor: &entry.actor,
        action: &entry.action,
        asset_id: entry.asset_id.as_ref(),
        related_id: entry.related_id.as_ref(),
        before: entry.before.as_deref(),
        after: entry.after.as_deref(),
        hash: &hash,
        format: u8::try_from(entry.format).unwrap_or(0),
        payload_digest: digest.as_ref(),
    })
}

/// The rows the replayed entries imply: assets in the order they were
/// created (the register's storage order), then links, risk assessments,
/// exceptions, recorded runs, tracked findings, 事務 and campaigns.
fn rebuild_rows(source: &Db, policy: &Policy, replayer: &Replayer, target: &Db) -> Result<()> {
    let mut assets: Vec<(&AssetId, &AssetState)> = replayer.assets.iter().collect();
    assets.sort_by_key(|(_, state)| state.created);
    let mut resolver = Resolver::new(policy);
    for (id, state) in assets {
        let seq = state.seq;
        let entry = source
            .entry(seq)?
            .ok_or_else(|| corrupt(format!("audit entry {seq} cannot be read")))?;
        let json = entry
            .after
            .as_deref()
            .ok_or_else(|| corrupt(format!("audit entry {seq} has no state after")))?;
        let asset = expected_asset(&mut resolver, json, *id, &entry.at)
            .map_err(|reason| corrupt(format!("audit entry {seq}: its asset record {reason}")))?;
        target.insert_asset(&asset)?;
    }
    let mut links: Vec<_> = replayer.links.iter().collect();
    links.sort_by(|a, b| a.0.cmp(b.0));
    for ((from, relation, to), state) in links {
        let id = |bytes: &[u8]| {
            AssetId::from_bytes(bytes).ok_or_else(|| corrupt("a link with a malformed id".into()))
        };
        let link = Link {
            from: id(from)?,
            relation: Relation::parse(relation)
                .map_err(|_| corrupt(format!("a link with the relation `{relation}`")))?,
            to: id(to)?,
            sanitization: state
                .sanitization
                .as_deref()
                .map(Sanitization::parse)
                .transpose()
                .map_err(|_| corrupt("a link with an unknown sanitization".into()))?,
        };
        target.insert_link(&link, &state.created_at)?;
    }
    for ((asset, threat), risk) in &replayer.risks {
        let asset = AssetId::from_bytes(asset)
            .ok_or_else(|| corrupt("a risk assessment with a malformed id".into()))?;
        let rating =
            |n: i64| u8::try_from(n).map_err(|_| corrupt(format!("a risk assessment rated {n}")));
        target.record_assessment(
            asset,
            threat,
            (rating(risk.likelihood)?, rating(risk.vulnerability)?),
            risk.assessed_at.as_deref().unwrap_or(&risk.at),
            &risk.assessed_by,
        )?;
    }
    let mut exceptions: Vec<_> = replayer.exceptions.values().collect();
    exceptions.sort_by_key(|e| e.id);
    for logged in exceptions {
        let id = |text: &str| {
            text.parse::<AssetId>()
                .map_err(|_| corrupt(format!("exception #{} names `{text}`", logged.id)))
        };
        let origin = replayer.exception_origins.get(&logged.id);
        target.restore_exception(&ExceptionRow {
            id: logged.id,
            rule: logged.rule.clone(),
            asset: id(&logged.asset)?,
            related: logged.related.as_deref().map(id).transpose()?,
            reason: logged.reason.clone(),
            approver: logged.approver.clone(),
            approved_on: logged.approved_on.clone(),
            expires_on: logged.expires_on.clone(),
            conditions: logged.conditions.clone(),
            created_at: origin.map(|o| o.created_at.clone()).unwrap_or_default(),
            created_by: origin.map(|o| o.created_by.clone()).unwrap_or_default(),
            ended_at: logged.ended_at.clone(),
            ended_by: origin.and_then(|o| o.ended_by.clone()),
        })?;
    }
    replayer.followup.rebuild(source, target)?;
    replayer.campaigns.rebuild(target)
}
